//! The command line speaks the user's language: the real binary, run with `--lang vi`, with a
//! Vietnamese `LANG` and with an English one, for a bad database path, an import error, clap's
//! own parse errors and the help of the program and its commands. No English fragment is left
//! in the Vietnamese runs, and the English runs stay English.

use std::process::{Command, Output};

/// Fragments that only English output has (clap's headings and errors, our English errors).
pub(crate) const ENGLISH: &[&str] = &[
    "error:",
    "Usage:",
    "Options:",
    "Arguments:",
    "Commands:",
    "[OPTIONS]",
    "[default:",
    "[possible values:",
    "[env:",
    "Print help",
    "For more information",
    "the header must",
    "not provided",
    "unexpected argument",
    "invalid value",
    "is not a date",
    "there is no thidua database",
    "no header found",
    "cannot read",
    "Import subjects",
    "The database folder",
    "No such file",
    // the campaign file's refusals
    "key `",
    "group \"",
    "tier \"",
    "criterion \"",
    "is used twice",
    "is listed twice",
    "must not be empty",
    "must be above",
    "has no `",
    "has no key",
    "has id",
    "mixes pass_fail",
    "only applies",
    "too long",
    "is before",
    "not UTF-8",
    "not valid",
    "the TOML reader says",
    "found ",
];

fn run(args: &[&str], lang_env: Option<&str>) -> Output {
    let home = tempfile::tempdir().expect("tempdir");
    let mut c = Command::new(env!("CARGO_BIN_EXE_thidua"));
    c.args(args)
        .env("HOME", home.path())
        .env("USER", "tester")
        .env_remove("THIDUA_DB")
        .env_remove("XDG_DATA_HOME")
        .env_remove("LC_ALL")
        .env_remove("THIDUA_LOG");
    match lang_env {
        Some(l) => c.env("LANG", l),
        None => c.env_remove("LANG"),
    };
    c.output().expect("run thidua")
}

fn all_text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// A Vietnamese run: through `--lang vi` and through `LANG=vi_VN.UTF-8` (even with an English
/// `LANG` the flag wins).
fn vi(args: &[&str]) -> Vec<Output> {
    let mut flagged = vec!["--lang", "vi"];
    flagged.extend_from_slice(args);
    vec![
        run(&flagged, Some("en_US.UTF-8")),
        run(args, Some("vi_VN.UTF-8")),
    ]
}

fn en(args: &[&str]) -> Vec<Output> {
    let mut flagged = vec!["--lang", "en"];
    flagged.extend_from_slice(args);
    vec![
        run(&flagged, Some("vi_VN.UTF-8")),
        run(args, Some("en_US.UTF-8")),
    ]
}

/// Whether `text` says `want`, wherever the help's wrapping broke its lines.
fn has(text: &str, want: &str) -> bool {
    let plain = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    text.contains(want) || plain(text).contains(&plain(want))
}

fn assert_vietnamese(args: &[&str], code: i32, wants: &[&str]) {
    for o in vi(args) {
        let text = all_text(&o);
        assert_eq!(o.status.code(), Some(code), "{args:?}: {text}");
        for english in ENGLISH {
            assert!(!text.contains(english), "{args:?}: {english:?} in\n{text}");
        }
        for want in wants {
            assert!(has(&text, want), "{args:?}: no {want:?} in\n{text}");
        }
    }
}

fn assert_english(args: &[&str], code: i32, wants: &[&str]) {
    for o in en(args) {
        let text = all_text(&o);
        assert_eq!(o.status.code(), Some(code), "{args:?}: {text}");
        for want in wants {
            assert!(has(&text, want), "{args:?}: no {want:?} in\n{text}");
        }
    }
}

#[test]
fn a_bad_database_path_is_told_in_the_chosen_language() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("missing.db");
    let db = db.to_str().expect("path");
    assert_vietnamese(
        &["status", "--db", db],
        1,
        &["Không có cơ sở dữ liệu thidua nào"],
    );
    assert_english(
        &["status", "--db", db],
        1,
        &["there is no thidua database at"],
    );
}

#[test]
fn an_import_error_names_file_line_and_field_in_the_chosen_language() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("review.db");
    let db = db.to_str().expect("path");
    let o = run(&["init", "--sample", "--db", db], Some("vi_VN.UTF-8"));
    assert!(o.status.success(), "{}", all_text(&o));
    let roster = dir.path().join("roster.csv");
    std::fs::write(
        &roster,
        "id,name,tier,parent\nSNV,Sở Nội vụ,province_agency,\nBAD ID,Sở X,province_agency,\n",
    )
    .expect("write");
    let roster = roster.to_str().expect("path");
    let args = ["import", "roster", roster, "--db", db];
    assert_vietnamese(
        &args,
        1,
        &[
            "roster.csv",
            "dòng 3",
            "trường Mã",
            "hãy sửa tệp rồi nhập lại",
        ],
    );
    assert_english(
        &args,
        1,
        &["roster.csv", "line 3", "field id", "Nothing was imported"],
    );
    let missing = dir.path().join("nothing.csv");
    let args = [
        "import",
        "roster",
        missing.to_str().expect("path"),
        "--db",
        db,
    ];
    assert_vietnamese(&args, 1, &["nothing.csv", "không đọc được tệp"]);
}

#[test]
fn clap_errors_are_worded_in_the_chosen_language_and_exit_with_two() {
    let cases: &[(&[&str], &[&str], &[&str])] = &[
        (
            &["--bogus"],
            &["không có tùy chọn '--bogus'", "Cách dùng: thidua"],
            &["unexpected argument '--bogus'", "Usage: thidua"],
        ),
        (
            &["export"],
            &["thiếu đối số bắt buộc: --out <TỆP>"],
            &["required arguments were not provided: --out <FILE>"],
        ),
        (
            &["log", "--subject"],
            &["'--subject <MÃ>' cần một giá trị"],
            &["a value is required for '--subject <ID>'"],
        ),
        (
            &["export", "--out", "x.json", "--format", "pdf"],
            &["giá trị 'pdf' không hợp lệ", "json, csv, xlsx, docx"],
            &[
                "invalid value 'pdf'",
                "possible values: json, csv, xlsx, docx",
            ],
        ),
        (
            &["export", "--out", "x.json", "--ref-date", "31/02/2026"],
            &["không phải là ngày", "DD/MM/YYYY"],
            &["is not a date", "DD/MM/YYYY"],
        ),
        (
            &[
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--reviewers",
                "r.toml",
                "--login-grace-time",
                "0",
            ],
            &["nằm ngoài khoảng cho phép: từ 1 đến 600"],
            &["out of range: from 1 to 600"],
        ),
        (
            &[
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--reviewers",
                "r.toml",
                "--max-startups",
                "x",
            ],
            &["không đúng dạng START:RATE:FULL"],
            &["is not START:RATE:FULL"],
        ),
        (
            &["expor"],
            &["không có lệnh 'expor'", "ý bạn là"],
            &["unrecognized subcommand 'expor'", "did you mean"],
        ),
        (
            &["init", "--sample", "--campaign", "c.toml"],
            &["không dùng cùng được với"],
            &["cannot be used with"],
        ),
    ];
    for (args, vi_wants, en_wants) in cases {
        assert_vietnamese(args, 2, vi_wants);
        assert_english(args, 2, en_wants);
    }
}

#[test]
fn help_of_the_program_and_its_commands_is_in_the_chosen_language() {
    let cases: &[(&[&str], &str, &str)] = &[
        (
            &["--help"],
            "bảng điều khiển bằng bàn phím",
            "opens a keyboard console",
        ),
        (
            &["-h"],
            "Xét duyệt phong trào thi đua",
            "Review an emulation campaign",
        ),
        (&["help"], "Lệnh:", "Commands:"),
        (
            &["import", "--help"],
            "Thêm hoặc cập nhật đối tượng",
            "Add or update subjects",
        ),
        (&["import", "roster", "--help"], "Đối số:", "Arguments:"),
        (
            &["help", "import", "roster"],
            "nhập tất cả hoặc không nhập gì",
            "all or nothing",
        ),
        (
            &["export", "--help"],
            "[giá trị: json, csv, xlsx, docx]",
            "[possible values: json, csv, xlsx, docx]",
        ),
        (&["export", "-h"], "--ref-date <NGÀY>", "--ref-date <DATE>"),
        (&["serve", "--help"], "[mặc định: 60]", "[default: 60]"),
        (
            &["status", "--help"],
            "[biến môi trường: THIDUA_DB]",
            "[env: THIDUA_DB]",
        ),
    ];
    for (args, vi_want, en_want) in cases {
        assert_vietnamese(args, 0, &["Cách dùng: thidua", vi_want]);
        assert_english(args, 0, &["Usage: thidua", en_want]);
    }
    // A command given without its subcommand shows its help as an error (exit 2).
    assert_vietnamese(
        &["import"],
        2,
        &["Cách dùng: thidua import [TÙY_CHỌN] <LỆNH>"],
    );
    // serve --help keeps --lang and --reviewer out, in either language.
    for o in vi(&["serve", "--help"])
        .into_iter()
        .chain(en(&["serve", "--help"]))
    {
        let help = all_text(&o);
        assert!(
            !help.contains("--lang") && !help.contains("--reviewer "),
            "{help}"
        );
    }
}

#[test]
fn runtime_refusals_are_in_the_chosen_language() {
    let dir = tempfile::tempdir().expect("tempdir");
    let backup = dir.path().join("b.json");
    std::fs::write(&backup, "{}").expect("write");
    let backup = backup.to_str().expect("path");
    assert_vietnamese(
        &["restore", backup],
        1,
        &["hãy cho nơi dựng cơ sở dữ liệu khôi phục"],
    );
    let new = dir.path().join("new.db");
    let args = ["restore", backup, "--db", new.to_str().expect("path")];
    assert_vietnamese(&args, 1, &["không phải bản sao lưu thidua"]);
    assert_english(&args, 1, &["not a thidua backup"]);
    let gone = dir.path().join("gone.json");
    let args = [
        "restore",
        gone.to_str().expect("path"),
        "--db",
        new.to_str().expect("path"),
    ];
    assert_vietnamese(
        &args,
        1,
        &["không đọc được bản sao lưu", "không có tệp hay thư mục này"],
    );
    assert!(!new.exists());
    // A campaign file that cannot be read.
    let gone_campaign = dir.path().join("gone.toml");
    let args = [
        "init",
        "--campaign",
        gone_campaign.to_str().expect("path"),
        "--db",
        new.to_str().expect("path"),
    ];
    assert_vietnamese(
        &args,
        1,
        &["gone.toml: không đọc được tệp: không có tệp hay thư mục này"],
    );
    assert_english(
        &args,
        1,
        &["gone.toml: cannot read the file: no such file or folder"],
    );
    // A file refused at init is told as import tells it.
    let campaign = concat!(env!("CARGO_MANIFEST_DIR"), "/data/campaign.toml");
    let roster = dir.path().join("nothing.csv");
    let args = [
        "init",
        "--campaign",
        campaign,
        "--roster",
        roster.to_str().expect("path"),
        "--db",
        new.to_str().expect("path"),
    ];
    assert_vietnamese(
        &args,
        1,
        &["nothing.csv", "không đọc được tệp", "Không nhập gì"],
    );
    assert_english(
        &args,
        1,
        &[
            "nothing.csv",
            "cannot read the file",
            "Nothing was imported",
        ],
    );
    assert!(!new.exists());
}

#[test]
fn a_bad_campaign_file_is_told_in_the_chosen_language() {
    let dir = tempfile::tempdir().expect("tempdir");
    let new = dir.path().join("new.db");
    let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/campaign/");
    for (file, vi, en) in [
        (
            "duplicate_criterion.toml",
            "nhóm \"collective\", tiêu chí \"TT2\", khoá `id`: mã này đã dùng hai lần",
            "group \"collective\", criterion \"TT2\", key `id`: the id is used twice",
        ),
        (
            "truncated.toml",
            "nội dung TOML không hợp lệ",
            "the TOML is not valid",
        ),
        ("latin1.toml", "không phải văn bản UTF-8", "not UTF-8 text"),
        (
            "unknown_group.toml",
            "không có [[group]] nào mang mã \"individuals\"",
            "no [[group]] has id \"individuals\"",
        ),
    ] {
        let path = format!("{corpus}{file}");
        let args = [
            "init",
            "--campaign",
            &path,
            "--db",
            new.to_str().expect("path"),
        ];
        assert_vietnamese(&args, 1, &[file, vi]);
        assert_english(&args, 1, &[file, en]);
    }
    // A TOML error keeps the reader's detail, framed with the line and column.
    let args = [
        "init",
        "--campaign",
        &format!("{corpus}impossible_date.toml"),
        "--db",
        new.to_str().expect("path"),
    ];
    assert_vietnamese(&args, 1, &["impossible_date.toml: dòng 46, cột 9", "start"]);
    assert_english(
        &args,
        1,
        &["impossible_date.toml: line 46, column 9", "start"],
    );
    assert!(!new.exists());
}

/// The commands whose help the width tests read.
const HELP_OF: &[&[&str]] = &[
    &[],
    &["init"],
    &["import", "roster"],
    &["import", "self-assessment"],
    &["export"],
    &["serve"],
    &["assign"],
];

/// Every line of `text` is at most `width` columns wide.
fn fits(text: &str, width: usize, what: &str) {
    use unicode_width::UnicodeWidthStr;
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        assert!(
            line.width() <= width,
            "{what}: a line of {} columns in a {width}-column terminal: {line:?}\n{text}",
            line.width()
        );
    }
}

#[test]
fn help_is_wrapped_to_the_terminal_it_is_shown_in() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("none.db");
    for cols in [80u16, 50] {
        for (lang, usage) in [("vi", "Cách dùng:"), ("en", "Usage:")] {
            for command in HELP_OF {
                let mut args = vec!["--lang", lang];
                args.extend_from_slice(command);
                args.push("--help");
                let mut c = crate::pty::Console::open(&db, &args, &[], cols, 200, false);
                assert_eq!(
                    c.wait_exit(crate::pty::TIMEOUT),
                    Some(true),
                    "{args:?} exits"
                );
                let raw = c.shared.raw.lock().expect("raw").clone();
                let text = String::from_utf8_lossy(&raw).into_owned();
                assert!(text.contains(usage), "{args:?}: no {usage:?} in\n{text}");
                fits(&text, usize::from(cols), &format!("{args:?}"));
                // Wrapping is not cutting: the whole help is there, only broken at spaces.
                let plain = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
                let piped = run(&args, None);
                assert_eq!(
                    plain(&text),
                    plain(&String::from_utf8_lossy(&piped.stdout)),
                    "{args:?}: the same words at every width"
                );
            }
        }
    }
    assert!(!db.exists(), "help creates no database");
}

#[test]
fn help_to_a_pipe_follows_columns_or_else_eighty() {
    for (columns, width) in [(None, 80), (Some("60"), 60), (Some("1000"), 100)] {
        for lang in ["vi", "en"] {
            for command in HELP_OF {
                let mut args = vec!["--lang", lang];
                args.extend_from_slice(command);
                args.push("--help");
                let mut c = Command::new(env!("CARGO_BIN_EXE_thidua"));
                c.args(&args).env_remove("LANG").env_remove("THIDUA_DB");
                match columns {
                    Some(n) => c.env("COLUMNS", n),
                    None => c.env_remove("COLUMNS"),
                };
                let o = c.output().expect("run thidua");
                assert!(o.status.success(), "{args:?}");
                let text = String::from_utf8_lossy(&o.stdout);
                fits(&text, width, &format!("{args:?} COLUMNS={columns:?}"));
                if columns.is_none() {
                    assert!(
                        text.lines().any(|l| l.chars().count() > 70),
                        "{args:?}: the 80 columns are used, not a narrower width"
                    );
                }
            }
        }
    }
}

/// `serve` refuses a bad reviewers file in the language it runs with (a Vietnamese `LANG`;
/// `--lang` does not apply to serve), naming the file and the line; an English run says what
/// it said before. The server never starts, so nothing listens.
#[test]
fn a_bad_reviewers_file_is_told_in_the_chosen_language() {
    const KEY: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKgl3ri9QJSI4Hon5GHLRR1FMVraEG+adnfTu2UhOV7G an@laptop";
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("review.db");
    let db = db.to_str().expect("path");
    let cases = [
        (
            "syntax.toml",
            "[[reviewer]\nname = \"An\"\n".to_string(),
            vec!["dòng 1, cột", "bộ đọc TOML"],
            vec!["line 1, column", "the TOML reader says"],
        ),
        (
            "role.toml",
            format!(
                "# Danh sách người đánh giá\n[[reviewer]]\nname = \"An\"\nrole = \"chair\"\nkeys = [\"{KEY}\"]\n\n\
                 [[reviewer]]\nname = \"Bình\"\nkeys = []\n"
            ),
            vec!["dòng 7", "role", "tệp người đánh giá"],
            vec!["line 7", "missing field `role`", "reviewers file"],
        ),
        (
            "key.toml",
            "[[reviewer]]\nname = \"An\"\nrole = \"reviewer\"\nkeys = [\"ssh-ed25519 nonsense\"]\n"
                .to_string(),
            vec!["dòng 4, khoá `reviewer.keys`: An: không phải khoá công khai OpenSSH"],
            vec!["line 4, key `reviewer.keys`: An: not an OpenSSH public key"],
        ),
    ];
    for (name, text, vi_wants, en_wants) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("write");
        let file = path.to_str().expect("path");
        let args = [
            "serve",
            "--db",
            db,
            "--listen",
            "127.0.0.1:0",
            "--reviewers",
            file,
        ];
        let o = run(&args, Some("vi_VN.UTF-8"));
        let text = all_text(&o);
        assert_eq!(o.status.code(), Some(1), "{name}: {text}");
        assert!(
            text.contains(&format!("thidua: {file}: ")),
            "{name}: {text}"
        );
        for english in ENGLISH {
            assert!(!text.contains(english), "{name}: {english:?} in\n{text}");
        }
        for want in vi_wants {
            assert!(text.contains(want), "{name}: no {want:?} in\n{text}");
        }
        assert!(!text.contains("listening"), "{name}: {text}");
        let o = run(&args, Some("en_US.UTF-8"));
        let text = all_text(&o);
        assert_eq!(o.status.code(), Some(1), "{name}: {text}");
        assert!(
            text.contains(&format!("thidua: {file}: ")),
            "{name}: {text}"
        );
        for want in en_wants {
            assert!(text.contains(want), "{name}: no {want:?} in\n{text}");
        }
    }
}
