//! Import → export (JSON) → import is the identity for generated rosters: agencies, their units
//! and individuals whose names carry Vietnamese diacritics (precomposed and decomposed),
//! commas, double quotes and apostrophes, with and without registration dates. The roster is
//! written as CSV, imported into a fresh store, exported as JSON, rebuilt as a roster CSV from
//! the export, imported into a second fresh store, and the two stores' subjects compared.

use std::path::Path;

use chrono::{NaiveDate, Utc};
use proptest::prelude::*;
use thidua::commands::import::import_roster;
use thidua::domain::Subject;
use thidua::interchange::campaign;
use thidua::interchange::export::{self, ExportMeta, Format};
use thidua::store::{Actor, Store};

const WORDS: &[&str] = &[
    "Nguyễn",
    "Thị",
    "Ánh",
    "Đặng",
    "Sở",
    "Nội",
    "vụ",
    "Phường",
    "Mỹ",
    "Hòa",
    "Hưng",
    "Long",
    "Xuyên",
    "\"Bông\"",
    "Hà,",
    "Nội,",
    "O'Neil",
    "\"Q\",",
    "1,5",
    "Nguye\u{0302}\u{0303}n",
    "Tie\u{0302}\u{0301}n",
    "Ủy",
    "ban",
    "nhân",
    "dân",
    "xã",
    "Vĩnh",
    "Thạnh",
    "Trung",
    "“ngoặc”",
];

fn name() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(WORDS), 1..7).prop_map(|w| w.join(" "))
}

fn date() -> impl Strategy<Value = Option<NaiveDate>> {
    prop::option::of(
        (0u64..150).prop_map(|d| {
            NaiveDate::from_ymd_opt(2021, 7, 21).expect("date") + chrono::Days::new(d)
        }),
    )
}

/// Agencies, units under them and individuals under any of those.
fn roster() -> impl Strategy<Value = Vec<Subject>> {
    (
        prop::collection::vec((name(), date()), 1..5),
        prop::collection::vec((name(), date(), any::<prop::sample::Index>()), 0..8),
        prop::collection::vec((name(), any::<prop::sample::Index>()), 0..12),
    )
        .prop_map(|(agencies, units, people)| {
            let mut out = Vec::new();
            for (i, (name, on)) in agencies.iter().enumerate() {
                out.push(Subject {
                    id: format!("A{i}"),
                    name: name.clone(),
                    tier: "province_agency".into(),
                    parent: None,
                    registered_on: *on,
                });
            }
            for (j, (name, on, parent)) in units.iter().enumerate() {
                let p = parent.index(agencies.len());
                out.push(Subject {
                    id: format!("A{p}.U{j}"),
                    name: name.clone(),
                    tier: "province_unit".into(),
                    parent: Some(format!("A{p}")),
                    registered_on: *on,
                });
            }
            let collectives: Vec<String> = out.iter().map(|s| s.id.clone()).collect();
            for (k, (name, unit)) in people.iter().enumerate() {
                out.push(Subject {
                    id: format!("CB{k:04}"),
                    name: name.clone(),
                    tier: "individual".into(),
                    parent: Some(unit.get(&collectives).clone()),
                    registered_on: None,
                });
            }
            out
        })
}

fn field(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

fn write_csv(path: &Path, rows: &[[String; 5]]) {
    let mut csv = String::from("id,name,tier,parent,registered_on\r\n");
    for r in rows {
        let cells: Vec<String> = r.iter().map(|c| field(c)).collect();
        csv.push_str(&cells.join(","));
        csv.push_str("\r\n");
    }
    std::fs::write(path, csv).expect("write csv");
}

fn fresh(dir: &Path, name: &str) -> Store {
    let actor = Actor::new("test", Utc::now());
    Store::create(&dir.join(name), &campaign::sample(), &actor).expect("create")
}

fn subjects(store: &Store) -> Vec<Subject> {
    store
        .subjects()
        .expect("subjects")
        .into_iter()
        .map(|(_, s)| s)
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn import_export_import_is_the_identity(generated in roster()) {
        let dir = tempfile::tempdir().expect("tempdir");
        let actor = Actor::new("test", Utc::now());
        let rows: Vec<[String; 5]> = generated
            .iter()
            .map(|s| {
                [
                    s.id.clone(),
                    s.name.clone(),
                    s.tier.clone(),
                    s.parent.clone().unwrap_or_default(),
                    s.registered_on.map(|d| d.to_string()).unwrap_or_default(),
                ]
            })
            .collect();
        let first_csv = dir.path().join("roster.csv");
        write_csv(&first_csv, &rows);
        let first = fresh(dir.path(), "first");
        import_roster(&first, &first_csv, &actor).expect("first import");

        // What was stored is the generated roster with its names cleaned (NFC).
        let stored = subjects(&first);
        prop_assert_eq!(stored.len(), generated.len());
        for (s, g) in stored.iter().zip(&generated) {
            prop_assert_eq!(&s.id, &g.id);
            prop_assert_eq!(&s.name, &thidua::text::clean(&g.name));
            prop_assert_eq!(&s.parent, &g.parent);
            prop_assert_eq!(s.registered_on, g.registered_on);
        }

        let json_file = dir.path().join("export.json");
        let snap = thidua::runtime::jobs::snapshot(&first, Format::Json).expect("snapshot");
        let meta = ExportMeta {
            exported_at: Utc::now(),
            exported_by: "test".into(),
            allow_incomplete: true,
        };
        export::export(&snap, Format::Json, &json_file, &meta).expect("export");
        let json: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&json_file).expect("read")).expect("json");
        let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
        let rebuilt: Vec<[String; 5]> = json["subjects"]
            .as_array()
            .expect("subjects")
            .iter()
            .map(|s| {
                [
                    text(&s["id"]),
                    text(&s["name"]),
                    text(&s["tier"]),
                    text(&s["parent"]),
                    text(&s["registered_on"]),
                ]
            })
            .collect();
        let second_csv = dir.path().join("again.csv");
        write_csv(&second_csv, &rebuilt);
        let second = fresh(dir.path(), "second");
        import_roster(&second, &second_csv, &actor).expect("second import");
        prop_assert_eq!(subjects(&second), stored);
    }
}
