//! A full disk, for real: the database on a small tmpfs (mounted for the test; shown as
//! ignored where mounting is not allowed). A write that runs out of space fails with a clear
//! error and exit 1, a command run while the disk is still full works or fails cleanly, and
//! once space is freed the store opens at the generation it had and `check` passes.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::case;
use crate::common::{base_db, check_ok, generation, run, s, stats};

/// A tmpfs mounted on a directory; unmounted when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(at: &Path, size: &str) -> Tmpfs {
        std::fs::create_dir_all(at).unwrap();
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .status()
            .expect("cannot run mount");
        assert!(status.success(), "mount -t tmpfs failed");
        Tmpfs(at.to_path_buf())
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// Writes zeros to `path` until the file system is full (or `limit` bytes).
fn fill(path: &Path, limit: u64) {
    use std::io::Write;
    let mut f = std::fs::File::create(path).unwrap();
    let block = vec![0u8; 64 << 10];
    let mut written = 0;
    while written < limit {
        let n = block.len().min((limit - written) as usize);
        match f.write_all(&block[..n]) {
            Ok(()) => written += n as u64,
            Err(_) => break,
        }
    }
    let _ = f.sync_all();
}

/// No panic, no Rust backtrace: an error a user can read.
#[track_caller]
fn clean_failure(what: &str, stderr: &str) {
    assert!(
        !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
        "{what} panicked:\n{stderr}"
    );
}

fn a_full_disk_fails_cleanly_and_the_store_recovers_once_space_is_freed() {
    let dir = tempfile::tempdir().unwrap();
    let mnt = dir.path().join("mnt");
    let _tmpfs = Tmpfs::mount(&mnt, "24m");
    let db = base_db(&mnt);
    let before = stats(&db);
    let g = generation(&db);
    // A generated scale-1 data set (~20,000 nodes, 100,000 edges) is far more than the
    // room left once most of the file system is taken.
    let data = dir.path().join("gen");
    run(
        &db,
        &["generate", "--scale", "1", "--seed", "3", "--out", s(&data)],
    )
    .ok();
    let mut files: Vec<String> = std::fs::read_dir(&data)
        .unwrap()
        .flatten()
        .map(|e| e.path().to_string_lossy().into_owned())
        .filter(|p| p.ends_with(".csv"))
        .collect();
    files.sort();
    let free = fs2::available_space(&mnt).unwrap();
    fill(&mnt.join("filler-1"), free.saturating_sub(4 << 20));

    let mut import = vec!["import"];
    import.extend(files.iter().map(String::as_str));
    let r = run(&db, &import);
    r.expect_code(1);
    clean_failure("the import on a full disk", &r.stderr);
    assert!(
        r.stderr.contains("no space left"),
        "the error does not say the disk is full:\n{}",
        r.stderr
    );

    // Still full, to the last byte: a read works or fails cleanly, and a small write fails
    // cleanly.
    fill(&mnt.join("filler-2"), u64::MAX);
    let r = run(&db, &["stats", "--format", "json"]);
    clean_failure("`stats` on a full disk", &r.stderr);
    match r.code {
        0 => assert_eq!(r.json(), before),
        1 => eprintln!("`stats` on a full disk failed cleanly: {}", r.stderr.trim()),
        other => panic!("`stats` on a full disk exited {other}:\n{}", r.stderr),
    }
    let one = dir.path().join("one.csv");
    std::fs::write(&one, "id,kind,name\nent:full,enterprise,Full\n").unwrap();
    let r = run(&db, &["import", s(&one)]);
    clean_failure("a one-line import on a full disk", &r.stderr);
    assert!(
        r.code == 1 || r.code == 0,
        "a one-line import on a full disk exited {}:\n{}",
        r.code,
        r.stderr
    );
    let wrote_one = r.code == 0;

    // Space freed: the store opens at the generation it had, every record there.
    std::fs::remove_file(mnt.join("filler-1")).unwrap();
    std::fs::remove_file(mnt.join("filler-2")).unwrap();
    check_ok(&db);
    if wrote_one {
        assert_eq!(generation(&db), g + 1);
    } else {
        assert_eq!(generation(&db), g);
        assert_eq!(stats(&db), before);
    }
    // And it takes writes again.
    std::fs::write(&one, "id,kind,name\nent:after,enterprise,After\n").unwrap();
    run(&db, &["import", s(&one)]).ok();
    check_ok(&db);
}
case!(
    a_full_disk_fails_cleanly_and_the_store_recovers_once_space_is_freed,
    requires(TmpfsMount)
);
