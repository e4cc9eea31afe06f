//! Rules on the reviewable code: what is plugin code and what is starter-template boilerplate.

pub mod no_own_code;
pub mod review_size;
pub mod template_drift;
pub mod template_not_customised;

use crate::rules::Ctx;

/// Reports that the template fact could not be computed, at `template:` when it is named
/// there. Returns whether it reported.
pub(crate) fn report_unavailable(ctx: &mut Ctx<'_>) -> bool {
    let fact = ctx.facts.template();
    let Some(error) = fact.error.clone() else {
        return false;
    };
    let at = fact.named_at.clone();
    let f = ctx.report(format!(
        "cannot compare the repository with the template: {error}"
    ));
    f.help("name a shipped index (`mattermost-plugin-starter-template`) or an index file made with `onboard template index`");
    if let Some((file, span)) = at {
        f.at(&file, span);
    }
    true
}
