//! Writing the site so that nothing half-written is ever published.
//!
//! A build writes into a staging folder beside the output (same file system, so the
//! final step is a rename, not a copy). Only when every page has rendered and been
//! written does the staging folder take the output's place: on Linux and macOS the two
//! folders are exchanged in one step (`renameat2(RENAME_EXCHANGE)`), so the output
//! folder always exists and is always a whole site; elsewhere, or on a file system
//! that cannot exchange, the old output is renamed aside first. If anything fails, the
//! staging folder is removed and the previous output is left byte for byte as it was.
//! What a killed build leaves beside the output (`.NAME.staging-PID`, `.NAME.old-PID`)
//! is removed by the next build.
//!
//! A file whose bytes did not change since the previous build is hard-linked from the
//! previous output instead of written again (it keeps its modification time, so rsync
//! or a static host's uploader sends only what changed), but only once the previous
//! file has been read and hashed again: the manifest says what a build wrote, never
//! what the folder holds now (a file may have been deleted or edited by hand since).
//!
//! The two outputs of the engine live here: `BuildSink` (the staging folder of a
//! build) and `InPlace` (`serve`'s folder, kept up to date file by file, each file
//! replaced by write-and-rename only when its bytes changed).

use crate::render::theme::safe_relative;
use std::collections::HashMap;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The file that marks a folder as minhbach's output, so a later build may replace it;
/// it doubles as the manifest, one `hash<TAB>path` line per file.
pub const OUTPUT_MARKER: &str = ".minhbach-output";

pub(crate) struct Staging {
    pub dir: PathBuf,
    target: PathBuf,
    committed: bool,
}

/// `.public.staging-` and `.public.old-` for an output folder `public`.
fn prefixes(target: &Path) -> (String, String) {
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
    (format!(".{name}.staging-"), format!(".{name}.old-"))
}

fn parent_of(target: &Path) -> &Path {
    target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

/// Whether process `pid` may still be running. Only Linux (and others with `/proc`)
/// says; elsewhere every process counts as running, so nothing of another is removed.
fn running(pid: u32) -> bool {
    if pid == std::process::id() {
        // A leftover named after this process is from an earlier process with the same
        // number (PIDs repeat, in containers often): this one has not made it yet.
        return false;
    }
    !Path::new("/proc/self").exists() || Path::new("/proc").join(pid.to_string()).exists()
}

/// Remove what killed builds left beside `target`. A leftover `.old-` folder is the
/// complete previous site (a build killed between the two renames of the fallback):
/// if the output is missing, it is put back first. Best effort: a leftover that cannot
/// be removed (another user's) stays, and does not stop the build.
fn clean_leftovers(target: &Path) {
    let parent = parent_of(target);
    let (staging, old) = prefixes(target);
    let Ok(entries) = fs::read_dir(parent) else { return };
    let mut dead: Vec<(bool, PathBuf)> = Vec::new();
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(name) = name.to_str() else { continue };
        let (is_old, pid) = match (name.strip_prefix(&staging), name.strip_prefix(&old)) {
            (Some(pid), _) => (false, pid),
            (_, Some(pid)) => (true, pid),
            _ => continue,
        };
        if let Ok(pid) = pid.parse::<u32>()
            && !running(pid)
        {
            dead.push((is_old, e.path()));
        }
    }
    dead.sort();
    for (is_old, path) in dead {
        if !(is_old && fs::symlink_metadata(target).is_err() && fs::rename(&path, target).is_ok()) {
            let _ = fs::remove_dir_all(&path);
        }
    }
}

impl Staging {
    /// Start a build whose result will replace `target`.
    pub(crate) fn begin(target: &Path) -> io::Result<Staging> {
        let parent = parent_of(target);
        fs::create_dir_all(parent)?;
        clean_leftovers(target);
        let dir = parent.join(format!("{}{}", prefixes(target).0, std::process::id()));
        if fs::symlink_metadata(&dir).is_ok() {
            fs::remove_dir_all(&dir)?;
        }
        fs::create_dir(&dir)?;
        Ok(Staging { dir, target: target.to_path_buf(), committed: false })
    }

    /// Write one file at a site-relative path; refuses paths that would leave the folder.
    pub(crate) fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let path = resolve(&self.dir, rel)?;
        if let Some(p) = path.parent() {
            fs::create_dir_all(p)?;
        }
        fs::write(path, bytes)
    }

    /// Put the staging folder in place of the target.
    pub(crate) fn commit(mut self) -> io::Result<()> {
        if fs::symlink_metadata(&self.target).is_err() {
            fs::rename(&self.dir, &self.target)?;
            self.committed = true;
            return Ok(());
        }
        if !exchange(&self.dir, &self.target)? {
            // Two renames: between them the output folder is missing; if the process
            // dies there, the next build puts the `.old-` folder back (`clean_leftovers`).
            let parent = parent_of(&self.target);
            let old = parent.join(format!("{}{}", prefixes(&self.target).1, std::process::id()));
            if fs::symlink_metadata(&old).is_ok() {
                fs::remove_dir_all(&old)?;
            }
            fs::rename(&self.target, &old)?;
            if let Err(e) = fs::rename(&self.dir, &self.target) {
                // Put the previous site back rather than leave nothing.
                let _ = fs::rename(&old, &self.target);
                return Err(e);
            }
            self.committed = true;
            // The new site is in place: a failure to remove the old one is not the
            // build's failure; the next build removes the leftover.
            let _ = fs::remove_dir_all(&old);
            return Ok(());
        }
        // The staging folder's name now holds the previous site.
        self.committed = true;
        let _ = fs::remove_dir_all(&self.dir);
        Ok(())
    }
}

/// Exchange two folders in one step; `Ok(false)` where the system or the file system
/// cannot.
#[cfg(any(target_os = "linux", target_os = "android", target_os = "macos"))]
fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        // EINVAL: a file system without exchange (some network ones); ENOSYS: a kernel
        // older than 3.15; ENOTSUP: macOS on a file system without swap.
        Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS || e == rustix::io::Errno::NOTSUP => {
            Ok(false)
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_os = "macos")))]
fn exchange(_: &Path, _: &Path) -> io::Result<bool> {
    Ok(false)
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// `root/rel`, if `rel` is a plain relative path (no `..`, no root, no backslash).
pub(crate) fn resolve(root: &Path, rel: &str) -> io::Result<PathBuf> {
    if !safe_relative(rel) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("refusing to write outside the output folder: {rel}"),
        ));
    }
    Ok(root.join(rel))
}

/// The manifest's text for these files' hashes.
pub(crate) fn manifest(hashes: &HashMap<String, u64>) -> String {
    let mut lines: Vec<(&String, &u64)> = hashes.iter().collect();
    lines.sort();
    let mut out = String::from("# Written by minhbach build; this folder is replaced whole on each build.\n");
    for (p, h) in lines {
        out.push_str(&format!("{h:016x}\t{p}\n"));
    }
    out
}

/// The previous output, as far as a build may reuse it.
pub(crate) struct Previous {
    dir: PathBuf,
    /// What the previous build says it wrote (a missing, truncated or garbled manifest
    /// only means fewer files are reused).
    hashes: HashMap<String, u64>,
    /// The permissions minhbach gave the files it wrote (those of the manifest): a
    /// file whose permissions were changed since is not reused either.
    mode: Option<u32>,
}

impl Previous {
    pub(crate) fn read(out: &Path) -> Previous {
        let marker = out.join(OUTPUT_MARKER);
        let meta = fs::symlink_metadata(&marker).ok().filter(|m| m.is_file());
        let text = meta.as_ref().and_then(|_| fs::read_to_string(&marker).ok()).unwrap_or_default();
        let hashes = text
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split_once('\t'))
            .filter(|(h, p)| h.len() == 16 && safe_relative(p))
            .filter_map(|(h, p)| u64::from_str_radix(h, 16).ok().map(|h| (p.to_string(), h)))
            .collect();
        Previous { dir: out.to_path_buf(), hashes, mode: meta.as_ref().map(mode) }
    }

    /// Hard-link the previous output's `rel` to `to`, if the manifest says it had
    /// exactly these bytes (`hash`, `len`) and the file still has them: a plain file,
    /// not a link, with minhbach's permissions, read and hashed again now. `to` may
    /// exist (a file just written): it is replaced in one step. Any failure leaves `to`
    /// as it was and says `false`, and the caller writes the file.
    pub(crate) fn reuse(&self, rel: &str, hash: u64, len: u64, to: &Path) -> bool {
        if self.hashes.get(rel) != Some(&hash) {
            return false;
        }
        let Ok(from) = resolve(&self.dir, rel) else { return false };
        let Ok(meta) = fs::symlink_metadata(&from) else { return false };
        if !meta.is_file() || meta.len() != len || Some(mode(&meta)) != self.mode {
            return false;
        }
        if hash_file(&from).ok() != Some(hash) {
            return false;
        }
        let Some(dir) = to.parent() else { return false };
        if fs::create_dir_all(dir).is_err() {
            return false;
        }
        if fs::symlink_metadata(to).is_err() {
            return fs::hard_link(&from, to).is_ok();
        }
        let name = to.file_name().unwrap_or_default().to_string_lossy();
        let tmp = dir.join(format!(".{name}.link-{}", std::process::id()));
        let _ = fs::remove_file(&tmp);
        if fs::hard_link(&from, &tmp).is_ok() && fs::rename(&tmp, to).is_ok() {
            return true;
        }
        let _ = fs::remove_file(&tmp);
        false
    }
}

#[cfg(unix)]
fn mode(m: &fs::Metadata) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    m.permissions().mode() & 0o7777
}

#[cfg(not(unix))]
fn mode(m: &fs::Metadata) -> u32 {
    m.permissions().readonly() as u32
}

/// XXH3 of a file's bytes, read in pieces (data files reach hundreds of megabytes).
fn hash_file(path: &Path) -> io::Result<u64> {
    let mut f = fs::File::open(path)?;
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        match f.read(&mut buf) {
            Ok(0) => return Ok(hasher.digest()),
            Ok(n) => hasher.update(&buf[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// A file written through a buffer and hashed (XXH3, like the manifest) as it is
/// written: the large data files are streamed, never whole in memory. `flush` ends it
/// and hands the hash and length of every byte to `done` (where the caller records or
/// links it).
pub(crate) struct HashingFile<'a> {
    file: io::BufWriter<fs::File>,
    hasher: xxhash_rust::xxh3::Xxh3,
    len: u64,
    #[allow(clippy::type_complexity)]
    done: Box<dyn FnMut(u64, u64) -> io::Result<()> + Send + 'a>,
}

impl<'a> HashingFile<'a> {
    /// Create the file (and its folder); `done` gets the hash and the length.
    pub(crate) fn create_sized(
        path: &Path,
        done: impl FnMut(u64, u64) -> io::Result<()> + Send + 'a,
    ) -> io::Result<HashingFile<'a>> {
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        // 64 KiB: a build streams some 60 of these at once, and larger buffers saved no time.
        let file = io::BufWriter::with_capacity(1 << 16, fs::File::create(path)?);
        Ok(HashingFile { file, hasher: xxhash_rust::xxh3::Xxh3::new(), len: 0, done: Box::new(done) })
    }
}

impl io::Write for HashingFile<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.file.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()?;
        (self.done)(self.hasher.digest(), self.len)
    }
}

/// Where a build's files go: the staging folder, with each file's hash for the
/// manifest, and unchanged files hard-linked from the previous output.
pub(crate) struct BuildSink<'a> {
    pub(crate) staging: &'a Staging,
    pub(crate) previous: &'a Previous,
    pub(crate) hashes: std::sync::Mutex<std::collections::HashMap<String, u64>>,
    /// Each file's length, for the pages that list sizes (rendered last).
    pub(crate) sizes: std::sync::Mutex<std::collections::HashMap<String, u64>>,
    pub(crate) progress: &'a Progress,
    /// The first write that failed. Every later write is refused at once: a full
    /// disk stops the build early, with one error.
    pub(crate) failed: std::sync::Mutex<Option<std::io::Error>>,
    /// Set with `failed`: read on every write of a streamed file, so no lock there.
    pub(crate) stop: std::sync::atomic::AtomicBool,
    /// Files whose write failed or was refused: their own errors give way to `failed`.
    pub(crate) refused: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
}

impl BuildSink<'_> {
    fn done(&self, rel: &str, h: u64, len: u64) {
        self.hashes.lock().unwrap().insert(rel.to_string(), h);
        self.sizes.lock().unwrap().insert(rel.to_string(), len);
        self.progress.tick();
    }

    /// Record a failed write of `rel`; the error handed back is the one the page's
    /// own diagnostic would carry (and which `write_all` then drops).
    pub(crate) fn fail(&self, rel: &str, e: std::io::Error) -> std::io::Error {
        self.refused.lock().unwrap().insert(PathBuf::from(rel));
        let mut failed = self.failed.lock().unwrap();
        if failed.is_none() {
            *failed = Some(e);
        }
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        std::io::Error::other("an earlier write failed")
    }

    /// Refuse every write once one failed.
    pub(crate) fn check(&self, rel: &str) -> std::io::Result<()> {
        if self.stop.load(std::sync::atomic::Ordering::Relaxed) {
            return Err(self.fail(rel, std::io::Error::other("an earlier write failed")));
        }
        Ok(())
    }
}

impl crate::render::data::FileSink for BuildSink<'_> {
    fn whole(&self, rel: &str, bytes: Vec<u8>) -> std::io::Result<()> {
        self.check(rel)?;
        let h = xxhash_rust::xxh3::xxh3_64(&bytes);
        let to = resolve(&self.staging.dir, rel)?;
        if !self.previous.reuse(rel, h, bytes.len() as u64, &to) {
            self.staging.write(rel, &bytes).map_err(|e| self.fail(rel, e))?;
        }
        self.done(rel, h, bytes.len() as u64);
        Ok(())
    }

    fn open(&self, rel: &str) -> std::io::Result<Box<dyn std::io::Write + Send + '_>> {
        self.check(rel)?;
        let path = resolve(&self.staging.dir, rel)?;
        let name = rel.to_string();
        let file = HashingFile::create_sized(&path.clone(), move |h, len| {
            // Unchanged since the previous build: the old file (and its mtime) is kept
            // if it still holds these bytes; otherwise the file just written stays.
            self.previous.reuse(&name, h, len, &path);
            self.done(&name, h, len);
            Ok(())
        })
        .map_err(|e| self.fail(rel, e))?;
        Ok(Box::new(Guarded { file, sink: self, rel: rel.to_string() }))
    }

    fn size(&self, rel: &str) -> Option<u64> {
        self.sizes.lock().unwrap().get(rel).copied()
    }
}

/// A streamed file whose write errors are recorded like the others', so a full disk
/// gives one error whichever file hit it first.
struct Guarded<'a, W> {
    file: W,
    sink: &'a BuildSink<'a>,
    rel: String,
}

impl<W: std::io::Write> std::io::Write for Guarded<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.sink.check(&self.rel)?;
        self.file.write(buf).map_err(|e| self.sink.fail(&self.rel, e))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.sink.check(&self.rel)?;
        self.file.flush().map_err(|e| self.sink.fail(&self.rel, e))
    }
}

/// A progress bar on a terminal, shown only once a build has taken a second.
pub(crate) struct Progress {
    bar: indicatif::ProgressBar,
    start: Instant,
    shown: std::sync::atomic::AtomicBool,
}

impl Progress {
    pub(crate) fn new(total: usize, start: Instant) -> Progress {
        let bar = indicatif::ProgressBar::with_draw_target(Some(total as u64), indicatif::ProgressDrawTarget::hidden());
        if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} files, {per_sec}, {eta} left")
        {
            bar.set_style(style);
        }
        Progress { bar, start, shown: std::sync::atomic::AtomicBool::new(false) }
    }

    fn tick(&self) {
        use std::io::IsTerminal;
        use std::sync::atomic::Ordering::Relaxed;
        self.bar.inc(1);
        if !self.shown.load(Relaxed)
            && self.start.elapsed() > Duration::from_secs(1)
            && std::io::stderr().is_terminal()
            && !self.shown.swap(true, Relaxed)
        {
            self.bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
    }

    pub(crate) fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// `serve`'s output: the folder a full build made, kept up to date file by file. Each
/// file is replaced by write-and-rename, and only when its bytes changed (by the hash
/// of what was last written), so a reader never sees half a page and the browser
/// reloads only what changed.
pub(crate) struct InPlace {
    pub dir: PathBuf,
    /// Hash of every file in the folder, as last written.
    hashes: HashMap<String, u64>,
    /// The manifest lacks the hashes of the files written since it was.
    manifest_stale: bool,
}

impl InPlace {
    /// The folder `dir`, holding the files of `hashes` (as a build just wrote them).
    pub(crate) fn new(dir: PathBuf, hashes: HashMap<String, u64>) -> InPlace {
        InPlace { dir, hashes, manifest_stale: false }
    }

    /// The hash of `rel` as last written.
    pub(crate) fn hash(&self, rel: &str) -> Option<u64> {
        self.hashes.get(rel).copied()
    }

    /// A batch of files to render into; nothing reaches the folder before `commit`.
    pub(crate) fn batch(&self) -> Batch {
        Batch { dir: self.dir.clone(), files: Default::default(), opened: Default::default() }
    }

    /// Put the files of `batch` whose bytes changed in place, and remove `removed`
    /// (with the folders they leave empty: a removed document's address then 404s).
    /// Returns the files written. Between this and `write_manifest`, the manifest lists
    /// no hashes: a build run then rewrites every file instead of trusting stale ones.
    pub(crate) fn commit(&mut self, batch: Batch, removed: &[String]) -> io::Result<Vec<String>> {
        let mut written = Vec::new();
        let mut files = std::mem::take(&mut *batch.files.lock().unwrap());
        files.sort_by(|a, b| a.0.cmp(&b.0));
        if !self.manifest_stale && (!files.is_empty() || !removed.is_empty()) {
            self.manifest_stale = true;
            write_atomic(&self.dir, OUTPUT_MARKER, manifest(&HashMap::new()).as_bytes())?;
        }
        for (rel, file) in files {
            let h = file.hash();
            if self.hashes.get(&rel) == Some(&h) {
                if let Staged::Temp(tmp, ..) = &file {
                    let _ = fs::remove_file(tmp);
                }
                continue;
            }
            match &file {
                Staged::Bytes(bytes) => write_atomic(&self.dir, &rel, bytes)?,
                Staged::Temp(tmp, ..) => fs::rename(tmp, resolve(&self.dir, &rel)?)?,
            }
            self.hashes.insert(rel.clone(), h);
            written.push(rel);
        }
        for rel in removed {
            if let Ok(path) = resolve(&self.dir, rel) {
                let _ = fs::remove_file(&path);
                let mut dir = path.parent();
                while let Some(d) = dir.filter(|d| *d != self.dir) {
                    if fs::remove_dir(d).is_err() {
                        break;
                    }
                    dir = d.parent();
                }
            }
            self.hashes.remove(rel);
        }
        Ok(written)
    }

    /// Keep the manifest true (the hashes of `outputs`), so a later `minhbach build`
    /// reuses what is unchanged. (It has 100,000 lines at national scale: written once
    /// per edit, after the browser reloaded.)
    pub(crate) fn write_manifest<'a>(&mut self, outputs: impl Iterator<Item = &'a String>) -> io::Result<()> {
        if !self.manifest_stale {
            return Ok(());
        }
        let listed: HashMap<String, u64> =
            outputs.filter_map(|o| self.hashes.get(o).map(|h| (o.clone(), *h))).collect();
        write_atomic(&self.dir, OUTPUT_MARKER, manifest(&listed).as_bytes())?;
        self.manifest_stale = false;
        Ok(())
    }
}

/// A file rendered for `InPlace`, not yet in place.
enum Staged {
    Bytes(Vec<u8>),
    /// A streamed file, written to a temporary file beside its place and hashed as
    /// written (memory stays flat at national scale).
    Temp(PathBuf, u64, u64),
}

impl Staged {
    fn hash(&self) -> u64 {
        match self {
            Staged::Bytes(b) => xxhash_rust::xxh3::xxh3_64(b),
            Staged::Temp(_, h, _) => *h,
        }
    }

    fn len(&self) -> u64 {
        match self {
            Staged::Bytes(b) => b.len() as u64,
            Staged::Temp(_, _, len) => *len,
        }
    }
}

/// Files rendered for `InPlace`, until its `commit`. Dropped uncommitted (a failed
/// rebuild), it removes its temporary files and nothing of the folder changes.
pub(crate) struct Batch {
    dir: PathBuf,
    files: std::sync::Mutex<Vec<(String, Staged)>>,
    /// Every temporary file made, finished or not, to remove what is left.
    opened: std::sync::Mutex<Vec<PathBuf>>,
}

impl Drop for Batch {
    fn drop(&mut self) {
        // After a commit, the temporary files are in place or already removed.
        for tmp in self.opened.get_mut().unwrap().drain(..) {
            let _ = fs::remove_file(tmp);
        }
    }
}

impl crate::render::data::FileSink for Batch {
    fn whole(&self, rel: &str, bytes: Vec<u8>) -> io::Result<()> {
        self.files.lock().unwrap().push((rel.to_string(), Staged::Bytes(bytes)));
        Ok(())
    }

    fn open(&self, rel: &str) -> io::Result<Box<dyn io::Write + Send + '_>> {
        let tmp = temporary(&resolve(&self.dir, rel)?);
        self.opened.lock().unwrap().push(tmp.clone());
        let rel = rel.to_string();
        let file = HashingFile::create_sized(&tmp.clone(), move |h, len| {
            self.files.lock().unwrap().push((rel.clone(), Staged::Temp(tmp.clone(), h, len)));
            Ok(())
        })?;
        Ok(Box::new(file))
    }

    /// A file of this batch, else the one in the folder (a rebuild renders the data
    /// page without the files it lists when those did not change).
    fn size(&self, rel: &str) -> Option<u64> {
        let staged = self.files.lock().unwrap().iter().rev().find(|(r, _)| r == rel).map(|(_, s)| s.len());
        staged.or_else(|| fs::metadata(resolve(&self.dir, rel).ok()?).ok().map(|m| m.len()))
    }
}

/// The temporary name a file is written under beside `path`, before its rename.
fn temporary(path: &Path) -> PathBuf {
    let dir = path.parent().unwrap_or(Path::new("."));
    dir.join(format!(".{}.tmp-{}", path.file_name().unwrap_or_default().to_string_lossy(), std::process::id()))
}

/// Write a file by writing a temporary file beside it and renaming it into place, so a
/// reader never sees half a page.
fn write_atomic(out: &Path, rel: &str, bytes: &[u8]) -> io::Result<()> {
    let path = resolve(out, rel)?;
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let tmp = temporary(&path);
    fs::write(&tmp, bytes)?;
    fs::rename(&tmp, &path)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// No process has this number (above the kernel's limit, 2^22).
    const DEAD: u32 = 4194305;

    #[test]
    fn a_killed_build_s_staging_folder_is_removed_by_the_next_build() {
        if !Path::new("/proc/self").exists() {
            return; // only where the system lists running processes
        }
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let stale = tmp.path().join(format!(".public.staging-{DEAD}"));
        fs::create_dir_all(stale.join("a")).unwrap();
        let s = Staging::begin(&out).unwrap();
        s.write("index.html", b"x").unwrap();
        s.commit().unwrap();
        assert!(!stale.exists(), "the dead build's staging folder is gone");
        assert!(out.join("index.html").exists());
    }

    #[test]
    fn a_killed_build_s_old_output_is_removed_or_put_back() {
        if !Path::new("/proc/self").exists() {
            return;
        }
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        // Killed after the swap, while removing the old site: the output is whole.
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("index.html"), "current").unwrap();
        let old = tmp.path().join(format!(".public.old-{DEAD}"));
        fs::create_dir_all(&old).unwrap();
        fs::write(old.join("index.html"), "older").unwrap();
        Staging::begin(&out).unwrap();
        assert!(!old.exists());
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "current");
        // Killed between the two renames of the fallback: the output is missing and
        // the `.old` folder is the whole previous site; it goes back in place.
        fs::remove_dir_all(&out).unwrap();
        fs::create_dir_all(&old).unwrap();
        fs::write(old.join("index.html"), "older").unwrap();
        drop(Staging::begin(&out).unwrap());
        assert!(!old.exists());
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "older");
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1, "only the output is left");
    }

    #[test]
    fn a_running_build_s_folders_are_left_alone() {
        if !Path::new("/proc/self").exists() {
            return;
        }
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        // PID 1 always runs.
        let other = tmp.path().join(".public.staging-1");
        fs::create_dir_all(&other).unwrap();
        drop(Staging::begin(&out).unwrap());
        assert!(other.exists());
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

    #[cfg(target_os = "linux")]
    #[test]
    fn on_linux_the_folders_are_exchanged_in_one_step() {
        let tmp = tempfile::tempdir().unwrap();
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        fs::create_dir_all(&a).unwrap();
        fs::create_dir_all(&b).unwrap();
        fs::write(a.join("x"), "a").unwrap();
        fs::write(b.join("x"), "b").unwrap();
        // tmpfs and ext4 (where tests run) both support the exchange.
        assert!(exchange(&a, &b).unwrap());
        assert_eq!(fs::read_to_string(a.join("x")).unwrap(), "b");
        assert_eq!(fs::read_to_string(b.join("x")).unwrap(), "a");
    }

    #[test]
    fn refuses_to_write_outside() {
        let tmp = tempfile::tempdir().unwrap();
        let s = Staging::begin(&tmp.path().join("public")).unwrap();
        assert!(s.write("../evil.html", b"x").is_err());
        assert!(s.write("/etc/evil", b"x").is_err());
    }

    /// A previous output of one file, `a.html`, with its manifest as a build writes it.
    fn previous_output(bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("a.html"), bytes).unwrap();
        let hashes = HashMap::from([("a.html".to_string(), xxhash_rust::xxh3::xxh3_64(bytes))]);
        fs::write(out.join(OUTPUT_MARKER), manifest(&hashes)).unwrap();
        (tmp, out)
    }

    #[test]
    fn reuse_links_only_a_file_that_still_has_the_recorded_bytes() {
        let bytes = b"<p>page</p>\n";
        let h = xxhash_rust::xxh3::xxh3_64(bytes);
        let (tmp, out) = previous_output(bytes);
        let to = tmp.path().join("new/a.html");
        assert!(Previous::read(&out).reuse("a.html", h, bytes.len() as u64, &to));
        assert_eq!(fs::read(&to).unwrap(), bytes);
        fs::remove_file(&to).unwrap();
        // Edited in place, same length: the manifest still says `h`, the bytes do not.
        fs::write(out.join("a.html"), b"<p>PAGE</p>\n").unwrap();
        assert!(!Previous::read(&out).reuse("a.html", h, bytes.len() as u64, &to));
        assert!(!to.exists());
        // Missing.
        fs::remove_file(out.join("a.html")).unwrap();
        assert!(!Previous::read(&out).reuse("a.html", h, bytes.len() as u64, &to));
    }

    #[test]
    fn reuse_leaves_a_written_file_when_it_cannot_link() {
        let bytes = b"data\n";
        let h = xxhash_rust::xxh3::xxh3_64(bytes);
        let (tmp, out) = previous_output(bytes);
        let to = tmp.path().join("a.html");
        fs::write(&to, bytes).unwrap();
        fs::remove_file(out.join("a.html")).unwrap();
        assert!(!Previous::read(&out).reuse("a.html", h, bytes.len() as u64, &to));
        assert_eq!(fs::read(&to).unwrap(), bytes, "the file just written is kept");
        // And replaces it in one step when it can.
        fs::write(out.join("a.html"), bytes).unwrap();
        assert!(Previous::read(&out).reuse("a.html", h, bytes.len() as u64, &to));
        assert_eq!(fs::read(&to).unwrap(), bytes);
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 2, "no temporary link left");
    }

    #[cfg(unix)]
    #[test]
    fn reuse_refuses_links_and_changed_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let bytes = b"x\n";
        let h = xxhash_rust::xxh3::xxh3_64(bytes);
        let (tmp, out) = previous_output(bytes);
        let to = tmp.path().join("b.html");
        fs::set_permissions(out.join("a.html"), fs::Permissions::from_mode(0o000)).unwrap();
        assert!(!Previous::read(&out).reuse("a.html", h, 2, &to));
        fs::remove_file(out.join("a.html")).unwrap();
        fs::write(tmp.path().join("elsewhere"), bytes).unwrap();
        std::os::unix::fs::symlink(tmp.path().join("elsewhere"), out.join("a.html")).unwrap();
        assert!(!Previous::read(&out).reuse("a.html", h, 2, &to));
    }

    #[test]
    fn a_garbled_manifest_reuses_nothing() {
        let (_tmp, out) = previous_output(b"x");
        fs::write(out.join(OUTPUT_MARKER), b"\xff\xfe garbage\n12\t../../etc/passwd\nzz\ta.html\n").unwrap();
        assert!(Previous::read(&out).hashes.is_empty());
    }
}
