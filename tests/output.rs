//! The output folder after something happened to it between builds: a file deleted or
//! edited by hand, a folder where a file was, a manifest deleted or garbled, leftovers
//! of killed builds, a full disk. The next build either makes the complete, correct
//! site or stops with one clear error; never a half site.

mod common;
use common::*;
use std::fs;
use std::path::Path;

/// A fixture site built once; returns (site, the output's files as that build wrote them).
fn built() -> (tempfile::TempDir, std::collections::BTreeMap<String, Vec<u8>>) {
    let site = fixture();
    build(site.path());
    let files = tree(&site.path().join("public"));
    (site, files)
}

fn build(root: &Path) {
    minhbach().arg("build").current_dir(root).assert().success();
}

/// The files a build of this site writes, built afresh elsewhere.
fn reference(root: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let elsewhere = tempfile::tempdir().unwrap();
    let out = elsewhere.path().join("public");
    minhbach().arg("build").arg("--output").arg(&out).current_dir(root).assert().success();
    tree(&out)
}

/// What stands beside the output: only the site's own folders and files.
fn beside(root: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        fs::read_dir(root).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

#[test]
fn a_deleted_output_file_is_written_again_by_the_next_build() {
    // Found 3: `rm public/data/results.json; minhbach build` failed on every build (the data files are now per province).
    let (site, before) = built();
    let public = site.path().join("public");
    for rel in ["data/thu/data.json", "data/thu/csv.zip", "index.html"] {
        fs::remove_file(public.join(rel)).unwrap();
    }
    build(site.path());
    build(site.path());
    let after = tree(&public);
    for rel in ["data/thu/data.json", "data/thu/csv.zip", "index.html"] {
        assert_eq!(after.get(rel), before.get(rel), "{rel} is back with its bytes");
    }
    assert_eq!(after, before);
}

#[test]
fn a_hand_edited_output_file_is_rewritten_by_the_next_build() {
    // Found 4: a line appended to index.html or targets.csv (now in csv.zip) survived `minhbach build`.
    let (site, before) = built();
    let public = site.path().join("public");
    for rel in ["index.html", "data/thu/csv.zip", "data/thu/data.json"] {
        let mut f = fs::OpenOptions::new().append(true).open(public.join(rel)).unwrap();
        std::io::Write::write_all(&mut f, b"<script>alert(1)</script>\n").unwrap();
    }
    build(site.path());
    let after = tree(&public);
    for rel in ["index.html", "data/thu/csv.zip", "data/thu/data.json"] {
        let text = String::from_utf8_lossy(&after[rel]);
        assert!(!text.contains("alert(1)"), "{rel} still has the hand-added line");
    }
    assert_eq!(after, before);
}

#[test]
fn an_edit_that_keeps_the_size_and_the_modification_time_is_rewritten_too() {
    // Nothing but the bytes tells this edit apart: the build hashes the old file again.
    let (site, before) = built();
    let page = site.path().join("public/index.html");
    let meta = fs::metadata(&page).unwrap();
    let mut bytes = fs::read(&page).unwrap();
    let at = bytes.windows(6).position(|w| w == b"<title").expect("a title");
    bytes[at + 1] = b'T';
    fs::write(&page, &bytes).unwrap();
    fs::File::options().write(true).open(&page).unwrap().set_modified(meta.modified().unwrap()).unwrap();
    assert_eq!(fs::metadata(&page).unwrap().len(), meta.len());
    build(site.path());
    assert_eq!(fs::read(&page).unwrap(), before["index.html"]);
}

#[cfg(unix)]
#[test]
fn an_unchanged_file_keeps_its_inode_and_modification_time() {
    // The reason the previous output is reused at all: rsync sends only what changed.
    use std::os::unix::fs::MetadataExt;
    let (site, _) = built();
    let page = site.path().join("public/index.html");
    let data = site.path().join("public/data/thu/data.json");
    let (a, b) = (fs::metadata(&page).unwrap(), fs::metadata(&data).unwrap());
    build(site.path());
    let (a2, b2) = (fs::metadata(&page).unwrap(), fs::metadata(&data).unwrap());
    assert_eq!((a.ino(), a.mtime_nsec()), (a2.ino(), a2.mtime_nsec()));
    assert_eq!((b.ino(), b.mtime_nsec()), (b2.ino(), b2.mtime_nsec()));
}

#[test]
fn a_damaged_output_folder_gives_the_complete_site() {
    let (site, before) = built();
    let public = site.path().join("public");
    // The manifest still lists every file as it was: a file where a folder was, a
    // folder where a file was, a page that is now a link to a copy of itself
    // elsewhere, an unreadable page.
    fs::remove_dir_all(public.join("thu")).unwrap();
    fs::write(public.join("thu"), "not a folder").unwrap();
    fs::remove_file(public.join("data/units.csv")).unwrap();
    fs::create_dir_all(public.join("data/units.csv/x")).unwrap();
    let copy = site.path().join("elsewhere.html");
    fs::write(&copy, &before["404.html"]).unwrap();
    fs::remove_file(public.join("404.html")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::os::unix::fs::symlink(&copy, public.join("404.html")).unwrap();
        fs::set_permissions(public.join("index.html"), fs::Permissions::from_mode(0o000)).unwrap();
    }
    build(site.path());
    assert_eq!(tree(&public), reference(site.path()));
    assert_eq!(tree(&public), before);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert!(!fs::symlink_metadata(public.join("404.html")).unwrap().file_type().is_symlink());
        let mode = fs::metadata(public.join("index.html")).unwrap().permissions().mode();
        assert_ne!(mode & 0o444, 0, "the page is readable again");
    }
}

#[test]
fn a_garbled_or_truncated_manifest_gives_the_complete_site() {
    let (site, before) = built();
    let public = site.path().join("public");
    let manifest = fs::read_to_string(public.join(".minhbach-output")).unwrap();
    fs::write(public.join(".minhbach-output"), &manifest[..manifest.len() / 2]).unwrap();
    fs::write(public.join("index.html"), "edited").unwrap();
    build(site.path());
    assert_eq!(tree(&public), before);
    fs::write(public.join(".minhbach-output"), b"\xff\xfe\x00garbage\n0123456789abcdef\t../../x\n").unwrap();
    build(site.path());
    assert_eq!(tree(&public), before);
}

#[test]
fn a_deleted_manifest_is_a_clear_error_and_the_folder_is_left() {
    let (site, before) = built();
    let public = site.path().join("public");
    fs::remove_file(public.join(".minhbach-output")).unwrap();
    let mut without = before.clone();
    without.remove(".minhbach-output");
    minhbach()
        .arg("build")
        .current_dir(site.path())
        .assert()
        .code(1)
        .stderr(predicates::str::contains("is not empty and was not written by minhbach"))
        .stderr(predicates::str::contains(".minhbach-output file was deleted"));
    assert_eq!(tree(&public), without);
}

#[test]
fn leftovers_of_killed_builds_are_removed_by_the_next_build() {
    if !Path::new("/proc/self").exists() {
        eprintln!("skipped: this system does not list its processes in /proc");
        return;
    }
    let (site, before) = built();
    // No process has a number above the kernel's limit (2^22).
    for name in [".public.staging-4194305", ".public.old-4194306"] {
        fs::create_dir_all(site.path().join(name).join("thu")).unwrap();
        fs::write(site.path().join(name).join("index.html"), "half").unwrap();
    }
    build(site.path());
    assert_eq!(beside(site.path()), ["content", "minhbach.toml", "public"]);
    assert_eq!(tree(&site.path().join("public")), before);
}

#[test]
fn output_given_on_the_command_line_as_a_file_is_refused_and_left() {
    // Found 5: the file was moved to a hidden .notes.txt.old-PID and replaced by the site.
    let site = fixture();
    fs::write(site.path().join("notes.txt"), "ghi chú").unwrap();
    minhbach()
        .args(["build", "--output", "notes.txt"])
        .current_dir(site.path())
        .assert()
        .code(1)
        .stderr(predicates::str::contains("notes.txt is a file, not a folder"))
        .stderr(predicates::str::contains("--> --output"))
        .stderr(predicates::str::contains("1 problem found"));
    assert_eq!(fs::read_to_string(site.path().join("notes.txt")).unwrap(), "ghi chú");
    assert_eq!(beside(site.path()), ["content", "minhbach.toml", "notes.txt"]);
}

/// A tmpfs of `kib` KiB at `dir` while `f` runs, where this process may mount (root in
/// a system that allows it); `None` (and a printed note) elsewhere.
#[cfg(target_os = "linux")]
fn with_small_disk<T>(dir: &Path, kib: u32, f: impl FnOnce() -> T) -> Option<T> {
    fs::create_dir_all(dir).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={kib}k"), "tmpfs"])
        .arg(dir)
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("skipped: cannot mount a small tmpfs here (needs root and a system that allows it)");
        return None;
    }
    struct Unmount<'a>(&'a Path);
    impl Drop for Unmount<'_> {
        fn drop(&mut self) {
            let _ = std::process::Command::new("umount").arg(self.0).status();
        }
    }
    let _unmount = Unmount(dir);
    Some(f())
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_one_error_naming_the_output_folder() {
    // Found 15: a full disk gave 146 errors, one per file.
    let site = fixture();
    let disk = site.path().join("disk");
    // Room for some pages, not for the site (about 300 KiB).
    let ran = with_small_disk(&disk, 64, || {
        let out = disk.join("public");
        let r = minhbach().arg("build").arg("--output").arg(&out).current_dir(site.path()).output().unwrap();
        let stderr = String::from_utf8_lossy(&r.stderr).into_owned();
        assert_eq!(r.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains("1 problem found"), "one error, not one per file:\n{stderr}");
        assert!(stderr.contains("No space left on device"), "{stderr}");
        assert!(!stderr.contains("os error"), "{stderr}");
        assert!(stderr.contains(&format!("cannot write the site into {}", out.display())), "{stderr}");
        assert!(stderr.contains("free some space"), "{stderr}");
        // Nothing half-written is left: no output, no staging folder.
        assert_eq!(fs::read_dir(&disk).unwrap().count(), 0);
    });
    if ran.is_none() {
        return;
    }
    // The same once the site is there: the old output stays whole.
    let ran = with_small_disk(&disk, 2048, || {
        let out = disk.join("public");
        minhbach().arg("build").arg("--output").arg(&out).current_dir(site.path()).assert().success();
        let before = tree(&out);
        // Fill the disk, then change every page (a new title).
        let _ = fs::write(disk.join("filler"), vec![0u8; 4 << 20]);
        let toml = fs::read_to_string(site.path().join("minhbach.toml")).unwrap();
        fs::write(site.path().join("minhbach.toml"), toml.replace("Thử nghiệm", "Thử nghiệm lần hai")).unwrap();
        let r = minhbach().arg("build").arg("--output").arg(&out).current_dir(site.path()).output().unwrap();
        let stderr = String::from_utf8_lossy(&r.stderr).into_owned();
        assert_eq!(r.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains("1 problem found") && stderr.contains("No space left on device"), "{stderr}");
        assert_eq!(tree(&out), before);
        let mut names: Vec<String> =
            fs::read_dir(&disk).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        assert_eq!(names, ["filler", "public"]);
    });
    assert!(ran.is_some());
}
