//! What an import is asked to read, checked before anything is written: folders expanded
//! to the files in them (so `import DIR` and `import DIR/*` both take an export folder), a
//! `schema.toml` among them set apart to be applied like `init --schema`, notes such as an
//! export's README.md left out, and every file that cannot be imported as data — missing,
//! unreadable, a folder, an Excel workbook, some other binary file — an error naming it,
//! whatever `--skip-invalid` says (it skips invalid *records*, not files).

use std::fs::{self, File};
use std::io::Read;
use std::path::{Path, PathBuf};

use thiserror::Error;

/// A file an import cannot read as data.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum FileError {
    /// The file does not exist or cannot be opened.
    #[error("{}: cannot read", .path.display())]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// An Excel workbook (perhaps renamed `.csv`).
    #[error(
        "{} is an Excel workbook, not CSV: in Excel use File → Save As → \"CSV UTF-8 (Comma delimited)\" and import the .csv",
        .0.display()
    )]
    Excel(PathBuf),
    /// Some other binary file.
    #[error(
        "{} is a binary file, not CSV, JSON Lines, GraphML or GEXF text",
        .0.display()
    )]
    Binary(PathBuf),
}

/// The files an import reads.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportPlan {
    /// Data files, in the order given (a folder's files sorted by name).
    pub files: Vec<PathBuf>,
    /// A `schema.toml` found among them.
    pub schema: Option<PathBuf>,
    /// Files left out because they are not data (an export's README.md).
    pub left_out: Vec<PathBuf>,
}

/// Expands and checks the paths of an import.
pub fn plan_import(paths: &[PathBuf]) -> Result<ImportPlan, FileError> {
    let mut plan = ImportPlan::default();
    for path in paths {
        if path.is_dir() {
            let mut entries: Vec<PathBuf> = fs::read_dir(path)
                .map_err(|source| FileError::Unreadable {
                    path: path.clone(),
                    source,
                })?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file())
                .collect();
            entries.sort();
            for entry in entries {
                add(&mut plan, entry)?;
            }
        } else {
            add(&mut plan, path.clone())?;
        }
    }
    Ok(plan)
}

fn add(plan: &mut ImportPlan, path: PathBuf) -> Result<(), FileError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if name == "schema.toml" {
        check_readable(&path)?;
        plan.schema = Some(path);
        return Ok(());
    }
    if name == "readme.md" || name.starts_with('.') {
        plan.left_out.push(path);
        return Ok(());
    }
    check(&path)?;
    plan.files.push(path);
    Ok(())
}

fn check_readable(path: &Path) -> Result<File, FileError> {
    let unreadable = |source| FileError::Unreadable {
        path: path.to_path_buf(),
        source,
    };
    if path.is_dir() {
        return Err(unreadable(std::io::Error::other("it is a folder")));
    }
    File::open(path).map_err(unreadable)
}

/// Checks that `path` can be opened and holds text, not a workbook or other binary.
pub fn check(path: &Path) -> Result<(), FileError> {
    let mut file = check_readable(path)?;
    let mut head = [0u8; 512];
    let n = file
        .read(&mut head)
        .map_err(|source| FileError::Unreadable {
            path: path.to_path_buf(),
            source,
        })?;
    let head = &head[..n];
    // XLSX is a ZIP archive; XLS an OLE2 compound document.
    if head.starts_with(b"PK\x03\x04") || head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(FileError::Excel(path.to_path_buf()));
    }
    let utf16 = head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]);
    if head.contains(&0) && !utf16 {
        return Err(FileError::Binary(path.to_path_buf()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_expand_schema_is_set_apart_and_readmes_left_out() {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in [
            ("nodes.csv", "id,kind,name\n"),
            ("edges.csv", "source,target,kind\n"),
            ("schema.toml", "version = 1\n"),
            ("README.md", "# notes\n"),
        ] {
            fs::write(dir.path().join(name), text).unwrap();
        }
        let plan = plan_import(&[dir.path().to_path_buf()]).unwrap();
        let names: Vec<String> = plan
            .files
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["edges.csv", "nodes.csv"]);
        assert!(plan.schema.is_some());
        assert_eq!(plan.left_out.len(), 1);
    }

    #[test]
    fn missing_files_and_workbooks_are_errors_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nodse.csv");
        let e = plan_import(std::slice::from_ref(&missing)).unwrap_err();
        assert!(e.to_string().contains("nodse.csv"), "{e}");
        let xlsx = dir.path().join("data.csv");
        fs::write(&xlsx, b"PK\x03\x04\x14\x00rest").unwrap();
        let e = plan_import(&[xlsx]).unwrap_err();
        assert!(matches!(e, FileError::Excel(_)));
        assert!(e.to_string().contains("CSV UTF-8"));
    }
}
