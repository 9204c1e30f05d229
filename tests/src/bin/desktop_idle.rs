//! The desktop app at rest: startup to tray, memory in the tray, idle CPU, memory with the
//! window open and after closing it. Runs the real app under a private desktop (Xvfb, a
//! session bus, a notification server, a tray host) with the built-in catalog.
//!
//! ```text
//! cargo build --release -p outage-radar -p outage-radar-window -p outage-radar-tests
//! cargo build --release -p outage-radar --example bare_tray
//! target/release/bench-desktop-idle [--idle-minutes M] [--settle-secs S] [--bin PATH] [--bare PATH]
//! ```
//!
//! Defaults: 3 minutes of idle CPU, RSS read 30 s after start, the `outage-radar` binary
//! beside this one (`OUTAGE_RADAR_BIN` or `--bin` override). Three runs: the bare tray
//! process (`examples/bare_tray`, the yardstick), then the app tray only (then the window
//! opened from the tray menu and closed again), then `--show` (window open), closing the
//! window as a window manager does. The window is a child process of the tray process, so the
//! tree measured from the tray process includes it and WebKit's processes.
//!
//! The app gets a fresh `--data-dir` and XDG config/data/cache dirs in a temp dir, so it
//! reads no config file (the default catalog) and finds no WebKit cache. Whether the status
//! pages can be reached depends on the machine: without a network they read as unreachable
//! and the app as offline (it retries every 15 s then).
//!
//! Prints one `figure:` line per figure. Not a test: nothing here passes or fails on a number.

use outage_radar_tests::desktop::{has_window, request_close, tree_rss_kib, Desktop};
use outage_radar_tests::tools_available;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

const USAGE: &str = "usage: bench-desktop-idle [--idle-minutes M] [--settle-secs S] \
     [--window-secs S] [--bin PATH] [--bare PATH]";
const TITLE: &str = "Outage Radar";
const WAIT: Duration = Duration::from_secs(90);

#[derive(Debug)]
struct Options {
    idle_minutes: f64,
    settle: Duration,
    window_open: Duration,
    bin: PathBuf,
    /// The bare tray process measured beside the app (`None`: not built, said so).
    bare: Option<PathBuf>,
}

fn options() -> Options {
    let mut idle_minutes = std::env::var("OUTAGE_RADAR_IDLE_MINUTES")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .map(|v| {
            v.parse()
                .expect("OUTAGE_RADAR_IDLE_MINUTES must be a number")
        })
        .unwrap_or(3.0);
    let mut settle = 30.0;
    let mut window_open = 15.0;
    let mut bin = None;
    let mut bare = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || {
            args.next()
                .unwrap_or_else(|| panic!("{arg} needs a value\n{USAGE}"))
        };
        match arg.as_str() {
            "--idle-minutes" => {
                idle_minutes = value().parse().expect("--idle-minutes must be a number");
            }
            "--settle-secs" => settle = value().parse().expect("--settle-secs must be a number"),
            "--window-secs" => {
                window_open = value().parse().expect("--window-secs must be a number");
            }
            "--bin" => bin = Some(PathBuf::from(value())),
            "--bare" => bare = Some(PathBuf::from(value())),
            "--help" | "-h" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => panic!("unknown argument {other:?}\n{USAGE}"),
        }
    }
    assert!(idle_minutes > 0.0, "--idle-minutes must be positive");
    Options {
        idle_minutes,
        settle: Duration::from_secs_f64(settle),
        window_open: Duration::from_secs_f64(window_open),
        bin: bin.unwrap_or_else(app_binary),
        bare: bare.or_else(bare_binary),
    }
}

/// The `bare_tray` example built beside this harness (`target/<profile>/examples/`).
fn bare_binary() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let bare = exe.parent()?.join("examples").join("bare_tray");
    bare.is_file().then_some(bare)
}

/// `OUTAGE_RADAR_BIN`, else the `outage-radar` built beside this harness.
fn app_binary() -> PathBuf {
    if std::env::var_os("OUTAGE_RADAR_BIN").is_some() {
        return outage_radar_tests::app_binary();
    }
    let exe = std::env::current_exe().expect("the harness's own path");
    let bin = exe.with_file_name("outage-radar");
    assert!(
        bin.is_file(),
        "{} not built: run `cargo build --release -p outage-radar` (or set OUTAGE_RADAR_BIN / --bin)",
        bin.display()
    );
    bin
}

fn figure(name: &str, value: impl std::fmt::Display) {
    println!("figure: {name}: {value}");
}

fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

/// One process of the app's tree.
#[derive(Debug)]
struct Proc {
    pid: u32,
    comm: String,
    rss_kib: u64,
    /// RssAnon (heap, stacks) and RssFile (mapped binaries and libraries) of `rss_kib`.
    anon_kib: u64,
    file_kib: u64,
    pss_kib: u64,
    /// Pages only this process maps (Private_Clean + Private_Dirty).
    uss_kib: u64,
    /// utime + stime (+ cutime + cstime: children already reaped), in clock ticks.
    ticks: u64,
}

fn stat_fields(pid: u32) -> Option<(String, Vec<String>)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let open = stat.find('(')?;
    let close = stat.rfind(')')?;
    let comm = stat[open + 1..close].to_owned();
    // Fields from 3 (state) on.
    let rest = stat[close + 2..]
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    Some((comm, rest))
}

fn kib_field(text: &str, key: &str) -> u64 {
    text.lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// `root` and every descendant, found through each process's parent pid (so children of any
/// thread count, not only the main thread's).
fn tree(root: u32) -> Vec<Proc> {
    let mut parents = Vec::new();
    if let Ok(dir) = std::fs::read_dir("/proc") {
        for entry in dir.filter_map(Result::ok) {
            let Some(pid) = entry
                .file_name()
                .to_str()
                .and_then(|s| s.parse::<u32>().ok())
            else {
                continue;
            };
            if let Some((_, f)) = stat_fields(pid) {
                if let Some(ppid) = f.get(1).and_then(|p| p.parse::<u32>().ok()) {
                    parents.push((pid, ppid));
                }
            }
        }
    }
    let mut pids = vec![root];
    let mut i = 0;
    while i < pids.len() {
        let p = pids[i];
        pids.extend(parents.iter().filter(|(_, pp)| *pp == p).map(|(c, _)| *c));
        i += 1;
    }
    pids.into_iter()
        .filter_map(|pid| {
            let (comm, f) = stat_fields(pid)?;
            let num = |i: usize| f.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
            // utime, stime, cutime, cstime are fields 14..=17, i.e. 11..=14 here.
            let ticks = num(11) + num(12) + num(13) + num(14);
            let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
            let rollup =
                std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap_or_default();
            Some(Proc {
                pid,
                comm,
                rss_kib: kib_field(&status, "VmRSS:"),
                anon_kib: kib_field(&status, "RssAnon:"),
                file_kib: kib_field(&status, "RssFile:"),
                pss_kib: kib_field(&rollup, "Pss:"),
                uss_kib: kib_field(&rollup, "Private_Clean:")
                    + kib_field(&rollup, "Private_Dirty:"),
                ticks,
            })
        })
        .collect()
}

/// Prints the tree's memory at one moment, with each process.
fn memory(label: &str, root: u32) -> u64 {
    let procs = tree(root);
    let rss: u64 = procs.iter().map(|p| p.rss_kib).sum();
    let pss: u64 = procs.iter().map(|p| p.pss_kib).sum();
    let uss: u64 = procs.iter().map(|p| p.uss_kib).sum();
    let anon: u64 = procs.iter().map(|p| p.anon_kib).sum();
    let app = procs.first().map_or(0, |p| p.rss_kib);
    figure(
        &format!("RSS {label}"),
        format!(
            "{} (app process {}, {} other processes; PSS {}; USS {}; anon {}; tree_rss_kib {})",
            mib(rss),
            mib(app),
            procs.len().saturating_sub(1),
            mib(pss),
            mib(uss),
            mib(anon),
            mib(tree_rss_kib(root))
        ),
    );
    for p in &procs {
        println!(
            "  process {} {:<16} RSS {:>10} (anon {:>10}, file {:>10})  PSS {:>10}  USS {:>10}",
            p.pid,
            p.comm,
            mib(p.rss_kib),
            mib(p.anon_kib),
            mib(p.file_kib),
            mib(p.pss_kib),
            mib(p.uss_kib)
        );
    }
    rss
}

fn ticks(root: u32) -> u64 {
    tree(root).iter().map(|p| p.ticks).sum()
}

fn clock_ticks_per_sec() -> f64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}

/// The running app; SIGTERM, then SIGKILL, when dropped.
struct App {
    child: Child,
    log: PathBuf,
}

impl App {
    fn pid(&self) -> u32 {
        self.child.id()
    }

    fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    fn assert_alive(&mut self, when: &str) {
        assert!(
            self.alive(),
            "the app exited {when}; its log: {}",
            self.log.display()
        );
    }
}

impl Drop for App {
    fn drop(&mut self) {
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        for _ in 0..100 {
            if !matches!(self.child.try_wait(), Ok(None)) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(desktop: &Desktop, bin: &Path, home: &Path, run: &str, show: bool) -> App {
    let data = home.join(format!("data-{run}"));
    let log = home.join(format!("{run}.log"));
    // Not the first start (which opens the welcome window): an empty database file is a
    // history SQLite opens and migrates, for this binary and for older ones alike.
    std::fs::create_dir_all(&data).expect("create the data dir");
    std::fs::write(data.join("history.sqlite3"), b"").expect("create the history file");
    let log_file = std::fs::File::create(&log).expect("create the app's log file");
    let mut cmd = desktop.command(bin);
    if show {
        cmd.arg("--show");
    }
    cmd.arg("--data-dir")
        .arg(&data)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("share"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env_remove("OUTAGE_RADAR_CONFIG")
        .env_remove("OUTAGE_RADAR_DATA_DIR")
        .env_remove("OUTAGE_RADAR_LOG")
        .stdout(Stdio::null())
        .stderr(Stdio::from(log_file));
    let child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("start {}: {e}", bin.display()));
    App { child, log }
}

async fn wait_until(what: &str, app: &mut App, mut check: impl AsyncFnMut() -> bool) -> Duration {
    let t0 = Instant::now();
    while t0.elapsed() < WAIT {
        if check().await {
            return t0.elapsed();
        }
        app.assert_alive(&format!("while waiting for {what}"));
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!(
        "no {what} within {WAIT:?}; the app's log: {}",
        app.log.display()
    );
}

async fn sleep_until(t: Instant) {
    tokio::time::sleep_until(tokio::time::Instant::from_std(t)).await;
}

/// Run 0: the bare tray process (Tauri's tray crates, a tokio runtime polling over reqwest,
/// an open SQLite file), the yardstick, in the same desktop and at the same moment after start.
async fn bare(opts: &Options, desktop: &Desktop, home: &Path) {
    let Some(bin) = &opts.bare else {
        println!(
            "run 0 skipped: no bare tray process (cargo build --release -p outage-radar --example bare_tray)"
        );
        return;
    };
    println!("run 0: bare tray process ({})", bin.display());
    let log = home.join("bare.log");
    let t0 = Instant::now();
    let child = desktop
        .command(bin)
        .arg("--db")
        .arg(home.join("bare.sqlite3"))
        .arg("--icons")
        .arg(home.join("bare-icons"))
        .stdout(Stdio::null())
        .stderr(Stdio::from(
            std::fs::File::create(&log).expect("the bare process's log"),
        ))
        .spawn()
        .unwrap_or_else(|e| panic!("start {}: {e}", bin.display()));
    let mut app = App { child, log };
    wait_until("bare tray item", &mut app, async || {
        !desktop.tray_items().await.is_empty()
    })
    .await;
    figure(
        "bare: process start to tray item registered",
        format!("{:.0} ms", t0.elapsed().as_secs_f64() * 1000.0),
    );
    sleep_until(t0 + opts.settle).await;
    app.assert_alive("in the tray");
    memory(
        &format!(
            "bare tray process, {:.0} s after start",
            opts.settle.as_secs_f64()
        ),
        app.pid(),
    );
    drop(app);
    // Its item leaves the tray before the app's is looked for.
    wait_for_empty_tray(desktop).await;
}

async fn wait_for_empty_tray(desktop: &Desktop) {
    let t0 = Instant::now();
    while !desktop.tray_items().await.is_empty() && t0.elapsed() < WAIT {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn tray_only(opts: &Options, desktop: &Desktop, home: &Path, hz: f64) {
    println!("run 1: tray only (no --show)");
    let t0 = Instant::now();
    let mut app = start(desktop, &opts.bin, home, "tray", false);
    wait_until("tray item", &mut app, async || {
        !desktop.tray_items().await.is_empty()
    })
    .await;
    figure(
        "startup: process start to tray item registered",
        format!("{:.0} ms", t0.elapsed().as_secs_f64() * 1000.0),
    );
    sleep_until(t0 + opts.settle).await;
    app.assert_alive("in the tray");
    let pid = app.pid();
    let tray_rss = memory(
        &format!("tray only, {:.0} s after start", opts.settle.as_secs_f64()),
        pid,
    );
    let (c0, i0) = (ticks(pid), Instant::now());
    let idle = Duration::from_secs_f64(opts.idle_minutes * 60.0);
    let mut peak = tray_rss;
    while i0.elapsed() < idle {
        tokio::time::sleep(Duration::from_secs(1)).await;
        app.assert_alive("while idle in the tray");
        peak = peak.max(tree(pid).iter().map(|p| p.rss_kib).sum());
    }
    let (c1, span) = (ticks(pid), i0.elapsed());
    let cpu = (c1 - c0) as f64 / hz;
    figure(
        "idle CPU in the tray",
        format!(
            "{:.2} s over {:.0} s = {:.1} s per hour = {:.3} % of one core",
            cpu,
            span.as_secs_f64(),
            cpu * 3600.0 / span.as_secs_f64(),
            100.0 * cpu / span.as_secs_f64()
        ),
    );
    memory("tray only, after the idle period", pid);
    figure("RSS tray only, peak while idle (1 s samples)", mib(peak));

    // Opened from the tray menu, as a user does: the window process starts, maps its
    // window and loads the page (the window process logs "window page loaded").
    let display = desktop.x.display.clone();
    let loads_before = page_loads(&app.log);
    let clicked = Instant::now();
    assert!(
        desktop.click_tray_menu("Open Outage Radar").await,
        "click Open in the tray menu"
    );
    let mapped = wait_until("window from the menu", &mut app, async || {
        has_window(&display, TITLE)
    })
    .await;
    figure(
        "menu click to window mapped",
        format!("{:.0} ms", mapped.as_secs_f64() * 1000.0),
    );
    // Builds before the window process logged its page load have no such line.
    let mut loaded = None;
    while clicked.elapsed() < Duration::from_secs(15) {
        if page_loads(&app.log) > loads_before {
            loaded = Some(clicked.elapsed());
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    figure(
        "menu click to page loaded",
        loaded.map_or("n/a (this build does not log it)".to_owned(), |l| {
            format!("{:.0} ms", l.as_secs_f64() * 1000.0)
        }),
    );
    sleep_until(clicked + mapped + opts.window_open).await;
    memory(
        &format!(
            "window opened from the menu, {:.0} s after it mapped",
            opts.window_open.as_secs_f64()
        ),
        pid,
    );
    assert_eq!(request_close(&display, TITLE), 1, "one window to close");
    wait_until("window destroyed", &mut app, async || {
        !has_window(&display, TITLE)
    })
    .await;
    let closed_at = Instant::now();
    sleep_until(closed_at + Duration::from_secs(5)).await;
    app.assert_alive("after closing the window");
    memory("tray only again, 5 s after closing the window", pid);
    drop(app);
}

/// How many times the app's log says a window page finished loading.
fn page_loads(log: &Path) -> usize {
    std::fs::read_to_string(log)
        .map(|l| l.matches("window page loaded").count())
        .unwrap_or(0)
}

async fn with_window(opts: &Options, desktop: &Desktop, home: &Path) {
    println!("run 2: --show (window open), then closed");
    let display = desktop.x.display.clone();
    let t0 = Instant::now();
    let mut app = start(desktop, &opts.bin, home, "window", true);
    let mapped = wait_until("window", &mut app, async || has_window(&display, TITLE)).await;
    figure(
        "startup with --show: process start to window mapped",
        format!("{:.0} ms", mapped.as_secs_f64() * 1000.0),
    );
    wait_until("tray item", &mut app, async || {
        !desktop.tray_items().await.is_empty()
    })
    .await;
    // Give WebKit time to load and lay out the page.
    sleep_until(t0 + mapped + opts.window_open).await;
    app.assert_alive("with the window open");
    let pid = app.pid();
    memory(
        &format!(
            "window open, {:.0} s after it mapped",
            opts.window_open.as_secs_f64()
        ),
        pid,
    );
    assert_eq!(
        request_close(&display, TITLE),
        1,
        "one window titled {TITLE:?} to close"
    );
    let closed = wait_until("window destroyed", &mut app, async || {
        !has_window(&display, TITLE)
    })
    .await;
    let closed_at = Instant::now();
    figure(
        "close request to window gone",
        format!("{:.0} ms", closed.as_secs_f64() * 1000.0),
    );
    sleep_until(closed_at + Duration::from_secs(5)).await;
    app.assert_alive("after closing the window");
    memory("5 s after closing the window", pid);
    sleep_until(closed_at + opts.settle).await;
    memory(
        &format!(
            "{:.0} s after closing the window",
            opts.settle.as_secs_f64()
        ),
        pid,
    );
    let still = !desktop.tray_items().await.is_empty();
    figure("still in the tray after closing", still);
    drop(app);
}

fn main() {
    if !tools_available(&["Xvfb", "dbus-daemon", "gtk-sni-tray-standalone"]) {
        eprintln!("bench-desktop-idle: cannot measure without a private desktop");
        std::process::exit(1);
    }
    let opts = options();
    let hz = clock_ticks_per_sec();
    println!(
        "bench-desktop-idle: binary {}, idle {} min, {} clock ticks/s",
        opts.bin.display(),
        opts.idle_minutes,
        hz
    );
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a tokio runtime for the desktop helpers");
    rt.block_on(async {
        let desktop = Desktop::start().await;
        let home = tempfile::tempdir().expect("a temp home for the app");
        bare(&opts, &desktop, home.path()).await;
        tray_only(&opts, &desktop, home.path(), hz).await;
        wait_for_empty_tray(&desktop).await;
        with_window(&opts, &desktop, home.path()).await;
    });
}
