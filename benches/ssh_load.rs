//! The SSH server under load: the real `thidua serve` (release binary) on 127.0.0.1 with a
//! generated province-scale database, and 30 reviewers connecting at once with the russh
//! client, each with its own Ed25519 key, an 80×24 pty and a scripted pace of one key every
//! 50–100 ms after the previous answer (moves, opening subjects, scoring criteria with a
//! durable commit, search as you type, switching kind). Measured: keystroke to answer (the end
//! of the first frame showing the key's effect, see `tests/ssh_support/russh_client.rs`) at p50, p99 and max,
//! overall and per kind of key; the server's resident memory (VmRSS, VmHWM) with no console,
//! with every console at its first frame, at the end and after they closed; memory per
//! console. Not a criterion benchmark: one run of the whole scenario, printed as `figure:`
//! lines. Client and server share this machine's CPUs, so the client's own work is in the
//! times.
//!
//! `THIDUA_SCALE=province` (default), `province_x10` or `all`; `THIDUA_SESSIONS` (default 30);
//! `THIDUA_KEYS` keys per reviewer (default 100); `THIDUA_SHOW_SCREEN=1` prints the first
//! reviewer's screen at the end, `THIDUA_TRACE=1` after every key with its answer (to check
//! that the script does what it says). Run with `cargo bench --features bench --bench ssh_load`.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use russh::keys::{Algorithm, PrivateKey};
use thidua::interchange::campaign;
use thidua::store::backup;

#[path = "../tests/ssh_support/russh_client.rs"]
mod remote;
#[path = "ssh_load/script.rs"]
mod script;
#[path = "../tests/ssh_support/mod.rs"]
mod ssh_support;

use remote::{Answer, Remote};
use script::{Kind, Pace, Sample};

/// One run: a database size, how many reviewers and how many keys each types.
#[derive(Debug, Clone)]
struct Plan {
    scale: &'static str,
    collectives: usize,
    individuals: usize,
    sessions: usize,
    keys: usize,
    pace: Pace,
    /// How long every console may take to show its first frame.
    open_limit: Duration,
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(default)
}

fn plans() -> Vec<Plan> {
    let scale = std::env::var("THIDUA_SCALE").unwrap_or_else(|_| "province".into());
    let sessions = env_number("THIDUA_SESSIONS", 30);
    let keys = env_number("THIDUA_KEYS", 100);
    let pace = Pace {
        min: Duration::from_millis(50),
        max: Duration::from_millis(100),
    };
    [
        ("province", 2_000, 30_000, Duration::from_secs(120)),
        ("province_x10", 20_000, 300_000, Duration::from_secs(900)),
    ]
    .into_iter()
    .filter(|(name, ..)| scale == "all" || scale == *name)
    .map(|(scale, collectives, individuals, open_limit)| Plan {
        scale,
        collectives,
        individuals,
        sessions,
        keys,
        pace,
        open_limit,
    })
    .collect()
}

/// The seeded synthetic province (seed 42, 60 % of verdicts decided), bulk-loaded.
fn make_database(plan: &Plan, dir: &Path) -> PathBuf {
    let db = dir.join("thidua.db");
    let started = Instant::now();
    let body = thidua::synth::database(
        &campaign::sample(),
        plan.collectives,
        plan.individuals,
        60,
        42,
    );
    drop(backup::restore(&db, &body).expect("bulk load"));
    println!(
        "{}: database of {} subjects made in {:?}",
        plan.scale,
        body.subjects.len(),
        started.elapsed()
    );
    db
}

/// A reviewers file with one reviewer (role reviewer) and one new Ed25519 key per session.
fn make_reviewers(dir: &Path, sessions: usize) -> (PathBuf, Vec<Arc<PrivateKey>>) {
    let mut text = format!(
        "[server]\nidle_timeout_minutes = 30\nmax_sessions = {}\n",
        sessions.max(32)
    );
    let mut keys = Vec::with_capacity(sessions);
    for i in 0..sessions {
        let key = PrivateKey::random(&mut rand::rng(), Algorithm::Ed25519).expect("ed25519 key");
        let public = key.public_key().to_openssh().expect("public key line");
        text.push_str(&format!(
            "\n[[reviewer]]\nname = \"Người đánh giá {i:02}\"\nrole = \"reviewer\"\nkeys = [\"{public}\"]\n"
        ));
        keys.push(Arc::new(key));
    }
    let path = dir.join("reviewers.toml");
    std::fs::write(&path, text).expect("reviewers file");
    (path, keys)
}

/// A `kB` field of /proc/<pid>/status, in MiB.
fn status_mib(pid: u32, field: &str) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix(field)?.strip_prefix(':').map(str::to_string))
        })
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kib| kib / 1024.0)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

/// Kills the server if the machine runs short of memory (the ×10 scale can ask for a lot),
/// so the bench never takes the machine down with it.
struct Watchdog {
    stop: Arc<AtomicBool>,
    tripped: Arc<AtomicBool>,
    /// The server's VmRSS (KiB) at the last look.
    last_rss_kib: Arc<AtomicU64>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// Below this much available memory the server is stopped.
const MEMORY_FLOOR_KIB: u64 = 3 * 1024 * 1024;

impl Watchdog {
    fn start(pid: u32) -> Watchdog {
        let stop = Arc::new(AtomicBool::new(false));
        let tripped = Arc::new(AtomicBool::new(false));
        let last_rss_kib = Arc::new(AtomicU64::new(0));
        let thread = {
            let (stop, tripped, rss) = (stop.clone(), tripped.clone(), last_rss_kib.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    let now = status_mib(pid, "VmRSS");
                    if now.is_finite() {
                        rss.store((now * 1024.0) as u64, Ordering::SeqCst);
                    }
                    if available_kib().is_some_and(|k| k < MEMORY_FLOOR_KIB) {
                        tripped.store(true, Ordering::SeqCst);
                        let _ = std::process::Command::new("kill")
                            .args(["-KILL", &pid.to_string()])
                            .status();
                        return;
                    }
                    std::thread::sleep(Duration::from_millis(200));
                }
            })
        };
        Watchdog {
            stop,
            tripped,
            last_rss_kib,
            thread: Some(thread),
        }
    }

    fn tripped(&self) -> bool {
        self.tripped.load(Ordering::SeqCst)
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn available_kib() -> Option<u64> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    info.lines()
        .find_map(|l| l.strip_prefix("MemAvailable:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Runs `f` on every item at once, each as its own task, and collects what succeeded (by the
/// item's number); failures and a phase that overruns `limit` are noted in `failures`.
async fn phase<I, O, F, Fut>(
    name: &str,
    items: Vec<(usize, I)>,
    limit: Duration,
    failures: &mut Vec<String>,
    f: F,
) -> Vec<(usize, O)>
where
    I: Send + 'static,
    O: Send + 'static,
    F: Fn(usize, I) -> Fut,
    Fut: Future<Output = anyhow::Result<O>> + Send + 'static,
{
    let mut set = tokio::task::JoinSet::new();
    for (i, item) in items {
        let task = f(i, item);
        set.spawn(async move { (i, task.await) });
    }
    let deadline = tokio::time::Instant::now() + limit;
    let mut done = Vec::new();
    loop {
        match tokio::time::timeout_at(deadline, set.join_next()).await {
            Ok(None) => break,
            Ok(Some(Ok((i, Ok(o))))) => done.push((i, o)),
            Ok(Some(Ok((i, Err(e))))) => failures.push(format!("{name}: reviewer {i}: {e:#}")),
            Ok(Some(Err(e))) => failures.push(format!("{name}: a task failed: {e}")),
            Err(_) => {
                failures.push(format!(
                    "{name}: {} reviewers unfinished after {limit:?}",
                    set.len()
                ));
                set.abort_all();
                break;
            }
        }
    }
    done.sort_by_key(|(i, _)| *i);
    done
}

/// What one run measured.
struct Measured {
    opened: Vec<Duration>,
    samples: Vec<Sample>,
    /// Frames that came while no key was waiting, over all consoles.
    unasked: usize,
    frames: usize,
    script_time: Duration,
    rss_open: f64,
    rss_end: f64,
    hwm_end: f64,
    rss_closed: f64,
    closed_cleanly: usize,
    failures: Vec<String>,
    /// The first console's screen at the end of its script.
    last_screen: String,
}

async fn drive(plan: &Plan, port: u16, keys: Vec<Arc<PrivateKey>>, pid: u32) -> Measured {
    let mut failures = Vec::new();
    let opened = phase(
        "open",
        keys.into_iter().enumerate().collect(),
        plan.open_limit,
        &mut failures,
        |i, key| Remote::open(port, format!("r{i:02}"), key, plan.open_limit),
    )
    .await;
    let rss_open = status_mib(pid, "VmRSS");
    let open_times = opened.iter().map(|(_, (_, t))| *t).collect();
    let remotes = opened.into_iter().map(|(i, (r, _))| (i, r)).collect();

    let step = Duration::from_secs(60);
    let spread = phase(
        "spread",
        remotes,
        step,
        &mut failures,
        |i, mut r| async move {
            script::spread(&mut r, i).await?;
            Ok(r)
        },
    )
    .await;

    let (keys, pace) = (plan.keys, plan.pace);
    let started = Instant::now();
    let limit = Duration::from_secs(30) + plan.keys as u32 * Duration::from_secs(12);
    let ran = phase(
        "script",
        spread,
        limit,
        &mut failures,
        |i, mut r| async move {
            let samples = script::run(&mut r, i, keys, pace).await?;
            Ok((r, samples))
        },
    )
    .await;
    let script_time = started.elapsed();
    let rss_end = status_mib(pid, "VmRSS");
    let hwm_end = status_mib(pid, "VmHWM");

    let last_screen = ran.first().map(|(_, (r, _))| r.text()).unwrap_or_default();
    let mut samples = Vec::new();
    let (mut unasked, mut frames) = (0, 0);
    let mut remotes = Vec::new();
    for (i, (r, s)) in ran {
        samples.extend(s);
        unasked += r.unasked;
        frames += r.frames;
        remotes.push((i, r));
    }
    let closed = phase("quit", remotes, step, &mut failures, |_, r| async move {
        Ok(r.quit(Duration::from_secs(10)).await)
    })
    .await;
    let closed_cleanly = closed.iter().filter(|(_, c)| *c).count();
    let rss_closed = status_mib(pid, "VmRSS");
    Measured {
        opened: open_times,
        samples,
        unasked,
        frames,
        script_time,
        rss_open,
        rss_end,
        hwm_end,
        rss_closed,
        closed_cleanly,
        failures,
        last_screen,
    }
}

/// Median, 99th percentile and maximum.
fn summary(mut d: Vec<Duration>) -> Option<(Duration, Duration, Duration)> {
    d.sort();
    let last = d.len().checked_sub(1)?;
    let at = |q: f64| d[(last as f64 * q).round() as usize];
    Some((at(0.5), at(0.99), d[last]))
}

fn print_times(scale: &str, what: &str, d: Vec<Duration>) {
    let n = d.len();
    match summary(d) {
        Some((p50, p99, max)) => {
            println!(
                "figure: {scale}: {what}: p50 {p50:.2?}, p99 {p99:.2?}, max {max:.2?} (n = {n})"
            )
        }
        None => println!("figure: {scale}: {what}: no samples"),
    }
}

/// The answer time of a key: the frame showing it, or the first frame when none did.
fn answer_time(a: &Answer) -> Option<Duration> {
    match *a {
        Answer::Shown { frame, .. } | Answer::Unchanged { frame } => Some(frame),
        Answer::Stalled => None,
    }
}

fn report(plan: &Plan, m: &Measured, rss_idle: f64) {
    let s = plan.scale;
    let times = |keep: &dyn Fn(Kind) -> bool| -> Vec<Duration> {
        m.samples
            .iter()
            .filter(|x| keep(x.kind))
            .filter_map(|x| answer_time(&x.answer))
            .collect()
    };
    let n = m.opened.len();
    println!(
        "figure: {s}: {n} of {} consoles opened at once; {} keys typed in {:.1?} ({:.0} keys/s over all consoles)",
        plan.sessions,
        m.samples.len(),
        m.script_time,
        m.samples.len() as f64 / m.script_time.as_secs_f64()
    );
    print_times(s, "connect to first frame", m.opened.clone());
    print_times(s, "keystroke to answer, every key", times(&|_| true));
    print_times(
        s,
        "keystroke to answer, every key but Esc",
        times(&|k| k != Kind::Escape),
    );
    for kind in Kind::ALL {
        print_times(
            s,
            &format!("keystroke to answer, {}", kind.label()),
            times(&|k| k == kind),
        );
    }
    let unchanged = m
        .samples
        .iter()
        .filter(|x| matches!(x.answer, Answer::Unchanged { .. }))
        .count();
    let stalled = m
        .samples
        .iter()
        .filter(|x| matches!(x.answer, Answer::Stalled))
        .count();
    let mut which: Vec<String> = m
        .samples
        .iter()
        .filter(|x| matches!(x.answer, Answer::Unchanged { .. }))
        .map(|x| format!("{:?}", String::from_utf8_lossy(x.key)))
        .collect();
    which.sort();
    which.dedup();
    println!(
        "figure: {s}: keys answered without a visible change {unchanged} ({}), keys with no frame in 10 s {stalled}",
        which.join(" ")
    );
    println!(
        "figure: {s}: frames received {}, of which {} came between keys (others' work); {:.1} per console per second",
        m.frames,
        m.unasked,
        m.unasked as f64 / n.max(1) as f64 / m.script_time.as_secs_f64()
    );
    println!(
        "figure: {s}: server RSS: 0 consoles {rss_idle:.1} MiB, {n} at first frame {:.1} MiB, after the keys {:.1} MiB (peak VmHWM {:.1} MiB), after {} closed {:.1} MiB",
        m.rss_open, m.rss_end, m.hwm_end, m.closed_cleanly, m.rss_closed
    );
    if n > 0 {
        println!(
            "figure: {s}: memory per console: (RSS at first frame - RSS idle) / {n} = {:.1} MiB; after the keys {:.1} MiB",
            (m.rss_open - rss_idle) / n as f64,
            (m.rss_end - rss_idle) / n as f64
        );
    }
    for f in &m.failures {
        println!("failure: {s}: {f}");
    }
}

/// Waits until the server has made its one index (the "index ready" line of its log), so the
/// memory with no console includes it and connecting measures the consoles alone; prints how
/// long that took after the server had started listening, and the line itself.
fn index_ready(plan: &Plan, log: &Path) {
    let started = Instant::now();
    loop {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        if let Some(line) = text.lines().find(|l| l.contains("index ready")) {
            println!(
                "figure: {}: the server's index ready {:.2?} after it listened ({})",
                plan.scale,
                started.elapsed(),
                line.split("index ready").nth(1).unwrap_or("").trim()
            );
            return;
        }
        if started.elapsed() > plan.open_limit {
            println!(
                "failure: {}: the server's index was not ready after {:?}",
                plan.scale, plan.open_limit
            );
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn run(plan: &Plan) {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = make_database(plan, dir.path());
    let (reviewers, keys) = make_reviewers(dir.path(), plan.sessions);
    println!("{}: load average before: {}", plan.scale, load_average());
    // Every scripted client connects from 127.0.0.1 at once, which the per-address limits
    // against floods would slow down; they are not what this bench measures.
    let server = ssh_support::start_server_with(
        &db,
        &reviewers,
        &dir.path().join("serve.log"),
        &[
            "--per-source-rate",
            "1000",
            "--per-source-max-startups",
            "1000",
            "--max-startups",
            "100:30:200",
            "--max-consoles-per-key",
            "100",
        ],
    );
    let pid = server.child.id();
    let watchdog = Watchdog::start(pid);
    index_ready(plan, &dir.path().join("serve.log"));
    let rss_idle = status_mib(pid, "VmRSS");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("client runtime");
    let measured = runtime.block_on(drive(plan, server.port, keys, pid));
    if std::env::var_os("THIDUA_SHOW_SCREEN").is_some() {
        println!("{}", measured.last_screen);
    }
    report(plan, &measured, rss_idle);
    if watchdog.tripped() {
        println!(
            "failure: {}: the machine ran short of memory (under {} GiB available); the server was killed at VmRSS {:.1} MiB",
            plan.scale,
            MEMORY_FLOOR_KIB / 1024 / 1024,
            watchdog.last_rss_kib.load(Ordering::SeqCst) as f64 / 1024.0
        );
    }
    println!("{}: load average after: {}", plan.scale, load_average());
    drop(watchdog);
    drop(server);
    runtime.shutdown_timeout(Duration::from_secs(2));
}

fn main() {
    for plan in plans() {
        println!(
            "{}: {} consoles × {} keys, one key {:?}–{:?} after each answer",
            plan.scale, plan.sessions, plan.keys, plan.pace.min, plan.pace.max
        );
        run(&plan);
    }
}
