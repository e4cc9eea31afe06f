//! Hostile and broken repositories. Each test builds a repository that breaks one assumption,
//! runs the real binary on it (`lint --gate marketplace`, so every gate's rules run, `facts`
//! and `status`) and asserts the exit code with the finding or diagnostic that explains it,
//! that nothing panicked or hung (every run is killed after a minute), that nothing in the
//! sandbox (the repository with its `.git`, the home directory, the directory outside) changed
//! by a byte, and that no program the repository names ever ran.

#[path = "hostile/cargo.rs"]
mod cargo;
#[path = "hostile/config.rs"]
mod config;
#[path = "hostile/damaged.rs"]
mod damaged;
#[path = "hostile/execution.rs"]
mod execution;
#[path = "hostile/git.rs"]
mod git;
#[path = "hostile/gitdir.rs"]
mod gitdir;
#[path = "hostile/harness.rs"]
mod harness;
#[path = "hostile/limits.rs"]
mod limits;
#[path = "hostile/lockfiles.rs"]
mod lockfiles;
#[path = "hostile/manifest.rs"]
mod manifest;
#[path = "hostile/output.rs"]
mod output;
#[path = "hostile/scale.rs"]
mod scale;
#[path = "hostile/special.rs"]
mod special;
#[path = "hostile/symlinks.rs"]
mod symlinks;
