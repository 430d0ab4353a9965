//! Writing the site so that nothing half-written is ever published.
//!
//! A build writes into a staging folder beside the output (same file system, so the
//! final step is a rename, not a copy). Only when every page has rendered and been
//! written is the old output moved aside and the staging folder renamed into place.
//! If anything fails, the staging folder is removed and the previous output is left
//! byte for byte as it was.

use crate::render::theme::safe_relative;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

pub struct Staging {
    pub dir: PathBuf,
    target: PathBuf,
    committed: bool,
}

impl Staging {
    /// Start a build whose result will replace `target`.
    pub fn begin(target: &Path) -> io::Result<Staging> {
        let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        fs::create_dir_all(parent)?;
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
        let prefix = format!(".{name}.staging-");
        let dir = parent.join(format!("{prefix}{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir)?;
        }
        // A build that was killed leaves its staging folder (a whole site's worth): remove
        // those whose process is gone, where the system says which processes run.
        if Path::new("/proc/self").exists()
            && let Ok(entries) = fs::read_dir(parent)
        {
            for e in entries.flatten() {
                let file_name = e.file_name();
                let Some(pid) = file_name.to_str().and_then(|n| n.strip_prefix(&prefix)) else { continue };
                if pid.parse::<u32>().is_ok() && !Path::new("/proc").join(pid).exists() {
                    let _ = fs::remove_dir_all(e.path());
                }
            }
        }
        fs::create_dir_all(&dir)?;
        Ok(Staging { dir, target: target.to_path_buf(), committed: false })
    }

    /// Write one file at a site-relative path; refuses paths that would leave the folder.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let path = resolve(&self.dir, rel)?;
        if let Some(p) = path.parent() {
            fs::create_dir_all(p)?;
        }
        fs::write(path, bytes)
    }

    /// Swap the staging folder in place of the target.
    pub fn commit(mut self) -> io::Result<()> {
        let parent = self.dir.parent().unwrap_or(Path::new(".")).to_path_buf();
        let name = self.target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let old = parent.join(format!(".{name}.old-{}", std::process::id()));
        if self.target.exists() {
            if old.exists() {
                fs::remove_dir_all(&old)?;
            }
            fs::rename(&self.target, &old)?;
            if let Err(e) = fs::rename(&self.dir, &self.target) {
                // Put the previous site back rather than leave nothing.
                let _ = fs::rename(&old, &self.target);
                return Err(e);
            }
            fs::remove_dir_all(&old)?;
        } else {
            fs::rename(&self.dir, &self.target)?;
        }
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// `root/rel`, if `rel` is a plain relative path (no `..`, no root, no backslash).
pub fn resolve(root: &Path, rel: &str) -> io::Result<PathBuf> {
    if !safe_relative(rel) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("refusing to write outside the output folder: {rel}"),
        ));
    }
    Ok(root.join(rel))
}

/// A file written through a buffer and hashed (XXH3, like the manifest) as it is
/// written: the large data files are streamed, never whole in memory. `flush` ends it
/// and hands the hash of every byte to `done` (where the caller records or links it).
pub struct HashingFile<'a> {
    file: io::BufWriter<fs::File>,
    hasher: xxhash_rust::xxh3::Xxh3,
    done: Box<dyn FnMut(u64) -> io::Result<()> + Send + 'a>,
}

impl<'a> HashingFile<'a> {
    /// Create the file (and its folder).
    pub fn create(path: &Path, done: impl FnMut(u64) -> io::Result<()> + Send + 'a) -> io::Result<HashingFile<'a>> {
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        // 64 KiB: a build streams some 60 of these at once, and larger buffers saved no time.
        let file = io::BufWriter::with_capacity(1 << 16, fs::File::create(path)?);
        Ok(HashingFile { file, hasher: xxhash_rust::xxh3::Xxh3::new(), done: Box::new(done) })
    }
}

impl io::Write for HashingFile<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.file.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()?;
        (self.done)(self.hasher.digest())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_killed_build_s_staging_folder_is_removed_by_the_next_build() {
        if !Path::new("/proc/self").exists() {
            return; // only where the system lists running processes
        }
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        // No process has this number (above the kernel's limit, 2^22).
        let stale = tmp.path().join(".public.staging-4194305");
        fs::create_dir_all(stale.join("a")).unwrap();
        let s = Staging::begin(&out).unwrap();
        s.write("index.html", b"x").unwrap();
        s.commit().unwrap();
        assert!(!stale.exists(), "the dead build's staging folder is gone");
        assert!(out.join("index.html").exists());
    }

    #[test]
    fn failed_build_leaves_the_previous_output() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("index.html"), "old").unwrap();
        {
            let s = Staging::begin(&out).unwrap();
            s.write("index.html", b"new").unwrap();
            // dropped without commit: a failed build
        }
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "old");
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1, "staging folder removed");
    }

    #[test]
    fn commit_replaces_the_output_whole() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("stale.html"), "old").unwrap();
        let s = Staging::begin(&out).unwrap();
        s.write("a/index.html", b"new").unwrap();
        s.commit().unwrap();
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "new");
        assert!(!out.join("stale.html").exists());
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1);
    }

    #[test]
    fn refuses_to_write_outside() {
        let tmp = tempfile::tempdir().unwrap();
        let s = Staging::begin(&tmp.path().join("public")).unwrap();
        assert!(s.write("../evil.html", b"x").is_err());
        assert!(s.write("/etc/evil", b"x").is_err());
    }
}
