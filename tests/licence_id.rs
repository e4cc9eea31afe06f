//! `onboard licence id`: the batch interface used to debug detections and measure accuracy.

mod support;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/licences");

fn data(name: &str) -> String {
    format!("{DATA}/{name}")
}

#[test]
fn one_file_prints_expression_score_and_method() {
    let out = support::onboard(&["licence", "id", &data("Apache-2.0-reindented.txt")]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "Apache-2.0\t1.000\tnormalised\n");
}

#[test]
fn many_files_and_a_list_print_one_path_line_each() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("list.txt");
    std::fs::write(
        &list,
        format!("{}\n\n{}\n", data("Combined.txt"), data("MIT-edited.txt")),
    )
    .unwrap();
    let mit = data("MIT.txt");
    let out = support::onboard(&["licence", "id", &mit, "--list", list.to_str().unwrap()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines: Vec<Vec<&str>> = out
        .stdout
        .lines()
        .map(|l| l.split('\t').collect())
        .collect();
    assert_eq!(lines.len(), 3, "{}", out.stdout);
    assert_eq!(lines[0], [mit.as_str(), "MIT", "1.000", "normalised"]);
    assert_eq!(lines[1][1], "Apache-2.0 AND AGPL-3.0-or-later");
    assert_eq!(lines[1][3], "classified");
    assert_eq!(lines[2][1], "NOASSERTION", "an edited MIT is not guessed");
    assert_eq!(lines[2][3], "none");
}

#[test]
fn json_shows_parts_with_line_ranges_and_candidates() {
    let out = support::onboard(&[
        "licence",
        "id",
        "--json",
        &data("Combined.txt"),
        &data("MIT-edited.txt"),
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let rows: Vec<serde_json::Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let parts = rows[0]["detection"]["parts"].as_array().unwrap();
    assert_eq!(parts[0]["id"], "Apache-2.0");
    assert_eq!(parts[1]["id"], "AGPL-3.0-or-later");
    assert_eq!(parts[1]["lines"][0], 87, "the AGPL text starts on line 87");
    let candidates = rows[1]["detection"]["candidates"].as_array().unwrap();
    assert_eq!(candidates[0]["id"], "MIT");
    assert!(candidates[0]["score"].as_f64().unwrap() < 0.9);
}

#[test]
fn unreadable_files_and_bad_arguments_exit_2() {
    let out = support::onboard(&["licence", "id", "/nonexistent/LICENSE", &data("MIT.txt")]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("cannot read `/nonexistent/LICENSE`"),
        "{}",
        out.stderr
    );
    assert!(out
        .stdout
        .starts_with("/nonexistent/LICENSE\tNOASSERTION\t0.000\terror\n"));
    assert!(
        out.stdout.contains("\tMIT\t1.000\tnormalised"),
        "the other file is still classified"
    );
    let none = support::onboard(&["licence", "id"]);
    assert_eq!(none.code, 2);
    assert!(none.stderr.contains("no files given"));
    let bad = support::onboard(&["licence", "id", "--threshold", "1.5", &data("MIT.txt")]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("between 0 and 1"));
}

#[test]
fn the_threshold_never_names_a_text_that_changes_terms() {
    // The edited MIT scores 0.86. A lower threshold lets it count as resembling MIT, but the
    // word-by-word check still finds the added non-commercial paragraph: no answer, with the
    // line where the terms change.
    let edited = data("MIT-edited.txt");
    for threshold in ["0.9", "0.8"] {
        let out = support::onboard(&["licence", "id", "--json", "--threshold", threshold, &edited]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let row: serde_json::Value = serde_json::from_str(out.stdout.trim()).unwrap();
        let d = &row["detection"];
        assert!(d["expression"].is_null(), "threshold {threshold}: {d}");
        assert_eq!(d["deviation"]["id"], "MIT", "{d}");
        assert_eq!(d["deviation"]["line"], 11, "{d}");
        assert!(
            d["deviation"]["found"]
                .as_str()
                .unwrap()
                .contains("may be used for non commercial"),
            "{d}"
        );
    }
}
