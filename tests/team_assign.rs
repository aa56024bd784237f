//! Assignments (phân công): `thidua assign` beside a running server (carried out by it, seen
//! live by a console over the real `ssh` client) and on a closed database, its refusals
//! naming file and line; in the console, `]` walking the reviewer's own assignment first
//! (across both lists) and
//! the status line's own remaining count (pure `update`), and the summary's progress per
//! reviewer (snapshots at 80×24, Vietnamese and English).

use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use thidua::app::{Model, Msg, Row};
use thidua::domain::review::Row as ReviewRow;
use thidua::domain::{Lang, Verdict, VerdictValue};

use crate::console::{self, at, run_keys};
use crate::ssh_support;

fn thidua(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_thidua"))
        .args(args)
        .arg("--db")
        .arg(db)
        .env("LANG", "en_US.UTF-8")
        .env("USER", "chair")
        .env_remove("LC_ALL")
        .env_remove("THIDUA_LANG")
        .output()
        .expect("run thidua")
}

fn text(o: &[u8]) -> String {
    String::from_utf8_lossy(o).into_owned()
}

fn screen(model: &Model) -> String {
    let backend = TestBackend::new(model.size().0, model.size().1);
    let mut terminal = Terminal::new(backend).expect("terminal");
    terminal.draw(|f| thidua::ui::view(model, f)).expect("draw");
    let buf = terminal.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut line = String::new();
        for x in 0..buf.area.width {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn verdict(value: VerdictValue, reviewer: &str, when: &str) -> Verdict {
    Verdict {
        value,
        note: "Ghi chú".into(),
        reviewer: reviewer.into(),
        decided_at: at(when),
        version: 1,
    }
}

/// The ids of the subjects in list rows, in order.
fn listed(m: &Model) -> Vec<String> {
    m.list()
        .iter()
        .filter_map(|r| match r {
            Row::Subject(i) => Some(m.index().entries[*i].subject.id.clone()),
            _ => None,
        })
        .collect()
}

fn selected_id(m: &Model) -> String {
    m.current_entry()
        .map(|e| e.subject.id.clone())
        .unwrap_or_default()
}

#[test]
fn bracket_walks_the_reviewers_own_assignment_first_and_the_status_line_counts_it() {
    for lang in [Lang::En, Lang::Vi] {
        let mut m = Model::new(console::sample_init(lang, "nguyen.van.an", Vec::new()));
        let ids = listed(&m);
        assert!(ids.len() > 8, "{ids:?}");
        // An has the 6th and 3rd subjects of the list; Bình the 2nd.
        m = {
            let mut m = m;
            thidua::app::update(
                &mut m,
                Msg::Assignments(vec![
                    (ids[2].clone(), "nguyen.van.an".into()),
                    (ids[1].clone(), "tran.thi.binh".into()),
                    (ids[5].clone(), "nguyen.van.an".into()),
                ]),
            );
            m
        };
        assert_eq!(m.own_remaining(), Some((2, 2)));
        let start = selected_id(&m);
        run_keys(&mut m, "]");
        let first = selected_id(&m);
        run_keys(&mut m, "]");
        let second = selected_id(&m);
        let mut own = vec![first.clone(), second.clone()];
        own.sort();
        let mut want = vec![ids[2].clone(), ids[5].clone()];
        want.sort();
        assert_eq!(own, want, "started on {start}");
        // Going round: still the own assignment while it has work, never Bình's.
        run_keys(&mut m, "]");
        assert_eq!(selected_id(&m), first);
        run_keys(&mut m, "[");
        assert_eq!(selected_id(&m), second);
        let shown = screen(&m);
        let words = match lang {
            Lang::En => "yours: 2/2 left",
            Lang::Vi => "giao cho bạn: còn 2/2",
        };
        assert!(shown.contains(words), "{shown}");

        // Without an assignment, `]` is the plain next subject needing work, and the status
        // line says nothing of one.
        thidua::app::update(&mut m, Msg::Assignments(Vec::new()));
        assert_eq!(m.own_remaining(), None);
        assert!(!screen(&m).contains(words));
    }
}

#[test]
fn bracket_goes_on_to_others_once_the_own_assignment_is_done_and_says_so() {
    // An's one subject is the first unit, all of whose criteria are decided.
    let probe = Model::new(console::sample_init(Lang::En, "nguyen.van.an", Vec::new()));
    let first = probe.index().entries[0].subject.id.clone();
    let width = ReviewRow::width(&probe.index().row(0));
    let verdicts = (0..width as u16)
        .map(|c| {
            (
                1,
                c,
                verdict(VerdictValue::Met, "nguyen.van.an", "2021-12-01T02:30:00Z"),
            )
        })
        .collect();
    let mut m = Model::new(console::sample_init(Lang::En, "nguyen.van.an", verdicts));
    thidua::app::update(
        &mut m,
        Msg::Assignments(vec![(first.clone(), "nguyen.van.an".into())]),
    );
    assert_eq!(m.own_remaining(), Some((0, 1)));
    run_keys(&mut m, "]");
    assert_ne!(selected_id(&m), first);
    let shown = screen(&m);
    assert!(shown.contains("Your assignment is done"), "{shown}");
    assert!(shown.contains("yours: 0/1 left"), "{shown}");
}

#[test]
fn bracket_walks_the_own_assignment_across_both_lists() {
    for lang in [Lang::En, Lang::Vi] {
        let mut m = Model::new(console::sample_init(lang, "nguyen.van.an", Vec::new()));
        let units = listed(&m);
        run_keys(&mut m, "t");
        let people = listed(&m);
        run_keys(&mut m, "t");
        assert!(units.len() > 4 && people.len() > 4, "{units:?} {people:?}");
        assert_eq!(selected_id(&m), units[0]);
        // An has one unit and two people; Bình a person between them.
        thidua::app::update(
            &mut m,
            Msg::Assignments(vec![
                (units[3].clone(), "nguyen.van.an".into()),
                (people[1].clone(), "nguyen.van.an".into()),
                (people[2].clone(), "tran.thi.binh".into()),
                (people[4].clone(), "nguyen.van.an".into()),
            ]),
        );
        assert_eq!(m.own_remaining(), Some((3, 3)));
        let (to_people, to_units) = match lang {
            Lang::En => (
                "Your next assigned subject is in the individuals list.",
                "Your next assigned subject is in the collectives list.",
            ),
            Lang::Vi => (
                "Việc giao tiếp theo của bạn ở danh sách cá nhân.",
                "Việc giao tiếp theo của bạn ở danh sách tập thể.",
            ),
        };
        run_keys(&mut m, "]");
        assert_eq!(selected_id(&m), units[3]);
        assert!(!screen(&m).contains(to_people));
        // Nothing more of An's among the units: on to the people, as `t` switches.
        run_keys(&mut m, "]");
        assert_eq!(selected_id(&m), people[1]);
        assert_eq!(listed(&m), people, "the individuals list is shown");
        let shown = screen(&m);
        assert!(shown.contains(to_people), "{shown}");
        let suffix = match lang {
            Lang::Vi => "vi",
            Lang::En => "en",
        };
        insta::assert_snapshot!(format!("bracket_across_lists_{suffix}"), shown);
        // Never Bình's; then round to the units again.
        run_keys(&mut m, "]");
        assert_eq!(selected_id(&m), people[4]);
        run_keys(&mut m, "]");
        assert_eq!(selected_id(&m), units[3]);
        assert_eq!(listed(&m), units);
        assert!(screen(&m).contains(to_units));
        // `[` goes the other way round: the last of the people.
        run_keys(&mut m, "[");
        assert_eq!(selected_id(&m), people[4]);
        // `t` back finds the units list where the walk left it.
        run_keys(&mut m, "t");
        assert_eq!(selected_id(&m), units[3]);
    }
}

/// Two reviewers' decisions, some today (console::today(), Vietnam time) and some earlier,
/// one waiting for an explanation; An has three subjects, Bình one, Cường only an assignment.
fn progress_model(lang: Lang) -> Model {
    let today = console::today();
    let morning = format!("{}T01:30:00Z", today.format("%Y-%m-%d"));
    // 23:30 Vietnam time the day before is 16:30 UTC.
    let yesterday = format!(
        "{}T16:30:00Z",
        (today - chrono::Days::new(1)).format("%Y-%m-%d")
    );
    let verdicts = vec![
        (1, 0, verdict(VerdictValue::Met, "nguyen.van.an", &morning)),
        (
            1,
            1,
            verdict(VerdictValue::NotMet, "nguyen.van.an", &morning),
        ),
        (
            1,
            2,
            verdict(VerdictValue::NeedsExplanation, "nguyen.van.an", &yesterday),
        ),
        (
            2,
            0,
            verdict(VerdictValue::Met, "tran.thi.binh", &yesterday),
        ),
        (
            2,
            1,
            verdict(VerdictValue::NeedsExplanation, "tran.thi.binh", &morning),
        ),
    ];
    let mut m = Model::new(console::sample_init(lang, "nguyen.van.an", verdicts));
    let ids: Vec<String> = m
        .index()
        .entries
        .iter()
        .map(|e| e.subject.id.clone())
        .collect();
    thidua::app::update(
        &mut m,
        Msg::Assignments(vec![
            (ids[0].clone(), "nguyen.van.an".into()),
            (ids[2].clone(), "nguyen.van.an".into()),
            (ids[3].clone(), "nguyen.van.an".into()),
            (ids[1].clone(), "tran.thi.binh".into()),
            (ids[4].clone(), "le.van.cuong".into()),
        ]),
    );
    m
}

#[test]
fn the_summary_shows_each_reviewers_progress() {
    let m = progress_model(Lang::En);
    let p = m.reviewer_progress();
    let an = p
        .iter()
        .find(|r| r.reviewer == "nguyen.van.an")
        .expect("An");
    assert_eq!(
        (an.today, an.decided, an.remaining, an.assigned, an.waiting),
        (2, 3, 3, 3, 1)
    );
    let binh = p
        .iter()
        .find(|r| r.reviewer == "tran.thi.binh")
        .expect("Bình");
    assert_eq!(
        (binh.today, binh.decided, binh.remaining, binh.waiting),
        (1, 2, 1, 1)
    );
    let cuong = p
        .iter()
        .find(|r| r.reviewer == "le.van.cuong")
        .expect("Cường");
    assert_eq!((cuong.decided, cuong.remaining), (0, 1));
    for lang in [Lang::Vi, Lang::En] {
        let mut m = progress_model(lang);
        run_keys(&mut m, "s");
        let suffix = match lang {
            Lang::Vi => "vi",
            Lang::En => "en",
        };
        insta::assert_snapshot!(format!("summary_by_reviewer_{suffix}"), screen(&m));
    }
}

#[test]
fn assign_beside_the_server_is_carried_out_by_it_and_the_console_counts_it_live() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("review.db");
    let twin = dir.path().join("twin.db");
    ssh_support::make_db(&db);
    ssh_support::make_db(&twin);
    let (_server, mut term) = crate::team_import::serve_with_console(dir.path(), &db);

    // A dry run says what would change, on the server as locally, and changes nothing.
    let args = ["assign", "An", "--tier", "province_agency", "--dry-run"];
    let held = thidua(&db, &args);
    let local = thidua(&twin, &args);
    assert!(held.status.success(), "{}", text(&held.stderr));
    assert_eq!(text(&held.stdout), text(&local.stdout));
    assert!(
        text(&held.stdout).contains("Dry run"),
        "{}",
        text(&held.stdout)
    );
    assert!(
        text(&held.stdout).contains("3 newly assigned"),
        "{}",
        text(&held.stdout)
    );

    // A list file naming an unknown id: refused with file and line, nothing assigned.
    let list = dir.path().join("phan-cong.csv");
    std::fs::write(&list, "Mã,Tên\nSNV,Sở Nội vụ\nNOPE,?\n").expect("list");
    let o = thidua(
        &db,
        &["assign", "An", "--file", list.to_str().expect("utf-8")],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(err.contains("phan-cong.csv, line 3, field id"), "{err}");
    assert!(err.contains("NOPE"), "{err}");
    // An invisible character in the name is refused.
    let o = thidua(&db, &["assign", "A\u{200B}n", "--tier", "province_agency"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("U+200B"), "{}", text(&o.stderr));
    std::thread::sleep(Duration::from_millis(300));
    assert!(!term.screen().contains("yours:"), "{}", term.screen());

    // The assignment: the console's status line counts An's own subjects at once.
    let held = thidua(&db, &["assign", "An", "--tier", "province_agency"]);
    let local = thidua(&twin, &["assign", "An", "--tier", "province_agency"]);
    assert!(held.status.success(), "{}", text(&held.stderr));
    assert_eq!(text(&held.stdout), text(&local.stdout));
    term.wait_text("yours: 3/3 left", Duration::from_secs(20));
    // A list file with a header line moves one of them to Bình.
    std::fs::write(&list, "Mã,Tên\nSNV,Sở Nội vụ\n").expect("list");
    let o = thidua(
        &db,
        &["assign", "Bình", "--file", list.to_str().expect("utf-8")],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("1 moved"), "{}", text(&o.stdout));
    term.wait_text("yours: 2/2 left", Duration::from_secs(20));
    // Clearing everything of An's.
    let o = thidua(&db, &["assign", "--clear", "An"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).contains("2 no longer assigned"),
        "{}",
        text(&o.stdout)
    );
    term.wait_for("no own count", Duration::from_secs(20), |s| {
        !s.contains("yours:")
    });
    // Each change is one audit event naming the chair.
    let log = text(&thidua(&db, &["log"]).stdout);
    assert!(
        log.contains("Assigned to An (--tier province_agency)"),
        "{log}"
    );
    assert!(log.contains("Cleared assignments (--clear An)"), "{log}");
    term.send(b"q");
    assert!(term.wait_exit(Duration::from_secs(20)));
}

#[test]
fn assign_records_the_login_that_ran_it_and_runs_only_as_the_databases_owner() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("review.db");
    ssh_support::make_db(&db);
    // The name is only a name: the journal records the login of the user who ran it.
    let o = thidua(
        &db,
        &[
            "--reviewer",
            "Chủ tịch",
            "assign",
            "An",
            "--tier",
            "province_agency",
        ],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let journal = thidua(&db, &["log", "--journal"]);
    assert!(journal.status.success(), "{}", text(&journal.stderr));
    let journal = text(&journal.stdout);
    let last = journal
        .lines()
        .rfind(|l| l.contains("Chủ tịch"))
        .expect("the assignment's record");
    assert!(
        last.contains(thidua::store::local_origin()),
        "the login, not the name given: {journal}"
    );

    // Another user's database: refused, naming its owner, and nothing is assigned.
    let owner_uid = std::fs::metadata(&db)
        .map(|m| std::os::unix::fs::MetadataExt::uid(&m))
        .expect("metadata");
    if let Err(e) = std::os::unix::fs::chown(&db, Some(65534), None) {
        eprintln!("skipped the other owner's database: cannot give the folder away ({e})");
        return;
    }
    let o = thidua(&db, &["assign", "Binh", "--tier", "province_agency"]);
    std::os::unix::fs::chown(&db, Some(owner_uid), None).expect("give the folder back");
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stdout));
    let err = text(&o.stderr);
    assert!(
        err.contains("the database belongs to the user") && err.contains("nothing was assigned"),
        "{err}"
    );
    assert!(err.contains(&db.display().to_string()), "{err}");
    let after = text(&thidua(&db, &["log", "--journal"]).stdout);
    assert_eq!(after, journal, "nothing written");
    let o = thidua(
        &db,
        &["assign", "Binh", "--tier", "province_agency", "--dry-run"],
    );
    assert!(
        text(&o.stdout).contains("3 moved"),
        "still An's: {}",
        text(&o.stdout)
    );
}
