//! The span tree: spans, core schema, duplicate keys, depth and alias limits.

use super::*;

fn slice<'a>(text: &'a str, node: &Node) -> &'a str {
    &text[node.span.offset..node.span.end()]
}

#[test]
fn spans_are_byte_offsets_even_after_multibyte_text() {
    let text = "name: \"Ünïcödé\"\nid: com.example.plugin\n";
    let root = parse(text).unwrap();
    assert_eq!(slice(text, root.get("id").unwrap()), "com.example.plugin");
    let long = format!("a: \"{}\"\nb: x€y\n", "ü€𝄞".repeat(100));
    let root = parse(&long).unwrap();
    assert_eq!(slice(&long, root.get("b").unwrap()), "x€y");
    let offsets = Offsets::new(&long);
    let every: Vec<usize> = long.char_indices().map(|(i, _)| i).collect();
    for (c, b) in every.iter().enumerate() {
        assert_eq!(offsets.byte(c), *b, "{c}");
    }
    assert_eq!(offsets.byte(every.len()), long.len());
    assert_eq!(offsets.byte(every.len() + 5), long.len());
}

#[test]
fn core_schema_resolution() {
    let root = parse("a: 1\nb: true\nc: ~\nd: '1'\ne: 2026-10-01\nf: 1.5\n").unwrap();
    assert_eq!(root.get("a").unwrap().value, Value::Int(1));
    assert_eq!(root.get("b").unwrap().value, Value::Bool(true));
    assert_eq!(root.get("c").unwrap().value, Value::Null);
    assert_eq!(root.get("d").unwrap().value, Value::Str("1".into()));
    assert_eq!(
        root.get("e").unwrap().value,
        Value::Str("2026-10-01".into())
    );
    assert_eq!(root.get("f").unwrap().value, Value::Float(1.5));
}

#[test]
fn duplicate_keys_are_errors_at_the_second_key() {
    let text = "a: 1\nb: 2\na: 3\n";
    let err = parse(text).unwrap_err();
    assert!(err.message.contains("duplicate key `a`"), "{}", err.message);
    assert_eq!(&text[err.span.offset..err.span.end()], "a");
    assert_eq!(err.span.offset, 10);
}

#[test]
fn duplicate_keys_are_found_in_linear_time() {
    let mut text: String = (0..90_000).map(|i| format!("k{i}: {i}\n")).collect();
    assert!(parse(&text).is_ok());
    text.push_str("k77777: again\n");
    let err = parse(&text).unwrap_err();
    assert!(err
        .message
        .contains("duplicate key `k77777` (first defined on line 77778)"));
    // Quadratic matching took minutes here (4 billion comparisons); hashing reads it at once.
    // Complex keys are compared by value, not by where they are written.
    let err = parse("? [a, {b: 1}]\n: x\n? [a, {b: 1}]\n: y\n").unwrap_err();
    assert!(err.message.contains("duplicate key"), "{}", err.message);
    assert!(parse("? [a, 1]\n: x\n? [a, \"1\"]\n: y\n").is_ok());
}

#[test]
fn aliases_of_long_strings_are_bounded_by_bytes() {
    let text = |aliases: usize| {
        format!(
            "x: &a \"{}\"\nz: [{}]\n",
            "y".repeat(1_000_000),
            vec!["*a"; aliases].join(", ")
        )
    };
    let bomb = text(50);
    let err = parse(&bomb).unwrap_err();
    assert!(err.message.contains("more than 16 MiB"), "{}", err.message);
    assert_eq!(&bomb[err.span.offset..err.span.end()], "*a");
    assert!(parse(&text(10)).is_ok());
}

#[test]
fn alias_bombs_are_refused() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let prev = i - 1;
        text.push_str(&format!(
            "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
        ));
    }
    let err = parse(&text).unwrap_err();
    assert!(
        err.message.contains("refusing to expand"),
        "{}",
        err.message
    );
}

#[test]
fn deep_nesting_is_refused() {
    let text = "[".repeat(10_000);
    // The parser's own recursion limit or ours, whichever comes first: an error, not a crash.
    let err = parse(&text).unwrap_err();
    assert!(
        err.message.contains("nesting deeper") || err.message.contains("recursion limit"),
        "{}",
        err.message
    );
    let err = parse(&format!(
        "{}1{}",
        "[".repeat(MAX_DEPTH + 1),
        "]".repeat(MAX_DEPTH + 1)
    ))
    .unwrap_err();
    assert!(!err.message.is_empty());
}

#[test]
fn json_parses_with_spans() {
    let text = "{\n  \"id\": \"x\",\n  \"settings\": [{\"type\": \"bool\"}]\n}";
    let root = parse(text).unwrap();
    assert_eq!(slice(text, root.get("id").unwrap()), "\"x\"");
    assert_eq!(root.get("settings").unwrap().kind(), "a list");
}

#[test]
fn syntax_errors_carry_a_position() {
    let err = parse("a: [1, 2\nb: 3\n").unwrap_err();
    assert!(!err.message.is_empty());
}

#[test]
fn empty_document_is_null() {
    assert_eq!(parse("# only a comment\n").unwrap().value, Value::Null);
}

#[test]
fn duplicate_keys_are_found_by_value_of_every_kind() {
    for (text, dup) in [
        ("1: a\n0x1: b\n", true),
        ("~: a\nnull: b\n", true),
        ("0.0: a\n-0.0: b\n", true),
        ("true: a\nTrue: b\n", true),
        ("'x': a\n\"x\": b\n", true),
        ("1: a\n'1': b\n", false),
        // Keys are compared by what they are: two NaN keys are one key, as are two equal
        // sequences.
        (".nan: a\n.nan: b\n", true),
        ("[a, b]: 1\n[a, b]: 2\n", true),
        ("x: &k [a]\n? *k\n: 1\n? *k\n: 2\n", true),
    ] {
        let found = parse(&format!("m:\n  {}", text.replace('\n', "\n  ")))
            .err()
            .is_some_and(|e| e.message.contains("duplicate key"));
        assert_eq!(found, dup, "{text:?}");
    }
}
