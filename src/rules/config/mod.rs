//! Rules about onboard's own configuration: `.onboarding.yml`, policies, waivers.

pub mod expired_waiver;
pub mod git_unavailable;
pub mod invalid_onboarding_file;
pub mod invalid_policy;
pub mod missing_onboarding_file;
pub mod unused_waiver;
