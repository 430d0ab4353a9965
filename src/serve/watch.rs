//! Watching the site's folders and turning bursts of file events into one batch of
//! changed paths per rebuild.
//!
//! Folders are watched, not files: an editor's atomic save (write a temporary file,
//! rename it over the original) replaces the file's inode, which a watch on the file
//! would lose. The debouncer merges the burst into one batch. Output, `.git`, `target`,
//! swap and backup files are ignored. `--poll` uses polling for network mounts, where
//! inotify sees nothing.

use notify::{PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{
    DebounceEventResult, Debouncer, NoCache, RecommendedCache, new_debouncer, new_debouncer_opt,
};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

/// The top-level folders of a site whose changes matter.
pub(crate) const WATCHED: &[&str] = crate::config::folder::SOURCES;

pub(crate) enum Watcher {
    Native(Debouncer<RecommendedWatcher, RecommendedCache>),
    Poll(Debouncer<PollWatcher, NoCache>),
}

impl Watcher {
    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match self {
            Watcher::Native(d) => d.watch(path, mode),
            Watcher::Poll(d) => d.watch(path, mode),
        }
    }
}

/// Start watching `root`; batches of changed paths arrive on the returned receiver.
pub(crate) fn start(
    root: &Path,
    output: &Path,
    poll: bool,
    debounce: Duration,
) -> Result<(Watcher, mpsc::Receiver<Vec<PathBuf>>), String> {
    let (raw_tx, raw_rx) = mpsc::channel::<DebounceEventResult>();
    let mut watcher = if poll {
        let config = notify::Config::default().with_poll_interval(Duration::from_millis(500));
        Watcher::Poll(new_debouncer_opt(debounce, None, raw_tx, NoCache, config).map_err(describe)?)
    } else {
        Watcher::Native(new_debouncer(debounce, None, raw_tx).map_err(describe)?)
    };
    // The root itself, not recursively: minhbach.toml, and folders created later.
    watcher.watch(root, RecursiveMode::NonRecursive).map_err(describe)?;
    for dir in WATCHED {
        let d = root.join(dir);
        if d.is_dir() {
            watcher.watch(&d, RecursiveMode::Recursive).map_err(describe)?;
        }
    }
    // New top-level folders are reported through the root's watch; the rebuild loop
    // then calls `watch_new_folders`.
    let (tx, rx) = mpsc::channel();
    let root = root.to_path_buf();
    let output = std::path::absolute(output).unwrap_or_else(|_| output.to_path_buf());
    std::thread::spawn(move || {
        for result in raw_rx {
            let Ok(events) = result else { continue };
            let mut paths: Vec<PathBuf> = events
                .iter()
                .filter(|e| changes_content(&e.event.kind))
                .flat_map(|e| e.paths.iter().cloned())
                .filter(|p| relevant(&root, &output, p))
                .collect();
            paths.sort();
            paths.dedup();
            if !paths.is_empty() && tx.send(paths).is_err() {
                break;
            }
        }
    });
    Ok((watcher, rx))
}

/// Watch the site folders created since start (e.g. a new templates/).
pub(crate) fn watch_new_folders(w: &mut Watcher, root: &Path, watched: &mut std::collections::BTreeSet<PathBuf>) {
    for dir in WATCHED {
        let d = root.join(dir);
        if !d.is_dir() {
            // Removed: its watch died with it; watch it again if it comes back.
            watched.remove(&d);
        } else if !watched.contains(&d) && w.watch(&d, RecursiveMode::Recursive).is_ok() {
            watched.insert(d);
        }
    }
}

/// Reading a file (the build itself does) raises access events: only writes, creations,
/// removals and renames are changes.
fn changes_content(kind: &notify::EventKind) -> bool {
    use notify::EventKind::*;
    use notify::event::{MetadataKind, ModifyKind};
    matches!(
        kind,
        Create(_)
            | Remove(_)
            | Modify(ModifyKind::Data(_) | ModifyKind::Name(_) | ModifyKind::Any | ModifyKind::Other)
            | Modify(ModifyKind::Metadata(MetadataKind::WriteTime | MetadataKind::Any))
    )
}

fn relevant(root: &Path, output: &Path, p: &Path) -> bool {
    if p.starts_with(output) {
        return false;
    }
    let Ok(rel) = p.strip_prefix(root) else { return false };
    let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned());
    let first = parts.next().unwrap_or_default();
    if first == "minhbach.toml" {
        return true;
    }
    if !WATCHED.contains(&first.as_str()) {
        return false;
    }
    !rel.components().any(|c| crate::load::is_ignored(&c.as_os_str().to_string_lossy()))
}

fn describe(e: notify::Error) -> String {
    match e.kind {
        notify::ErrorKind::MaxFilesWatch => "the system's limit of watched folders is reached; raise it (sysctl fs.inotify.max_user_watches=524288, and fs.inotify.max_user_instances) or run with --poll".into(),
        _ => format!("cannot watch the site's folders: {e} (try --poll on network or container mounts)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_site_sources_are_relevant() {
        let root = Path::new("/s");
        let out = Path::new("/s/public");
        assert!(relevant(root, out, Path::new("/s/content/a/b.md")));
        assert!(relevant(root, out, Path::new("/s/minhbach.toml")));
        assert!(relevant(root, out, Path::new("/s/templates/base.html")));
        assert!(!relevant(root, out, Path::new("/s/public/index.html")));
        assert!(!relevant(root, out, Path::new("/s/content/a/.b.md.swp")));
        assert!(!relevant(root, out, Path::new("/s/content/a/b.md~")));
        assert!(!relevant(root, out, Path::new("/s/content/a/4913")));
        assert!(!relevant(root, out, Path::new("/s/.git/index")));
        assert!(!relevant(root, out, Path::new("/s/target/debug/x")));
    }
}
