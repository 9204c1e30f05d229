//! A bare tray process, the yardstick of the tray's memory: Tauri's tray crates with one menu, a tokio runtime polling a URL over reqwest, an open SQLite file, and nothing of the engine.
//!
//! ```text
//! cargo build --release -p outage-radar --example bare_tray
//! target/release/examples/bare_tray --url URL --db FILE --icons DIR
//! ```
//!
//! `bench-desktop-idle` starts it beside the app in the same private desktop (BENCHMARKS.md).

use std::path::PathBuf;
use std::time::Duration;
use tao::event::{Event, StartCause};
use tao::event_loop::{ControlFlow, EventLoopBuilder};
use tray_icon::menu::{Menu, MenuItem, PredefinedMenuItem};
use tray_icon::{Icon, TrayIconBuilder};

const USAGE: &str = "usage: bare_tray [--url URL] [--db FILE] [--icons DIR]";

fn icon() -> Icon {
    let png_bytes = include_bytes!("../../icons/tray-operational.png");
    let mut reader = png::Decoder::new(std::io::Cursor::new(&png_bytes[..]))
        .read_info()
        .expect("the icon is a PNG");
    let mut rgba = vec![0; reader.output_buffer_size().expect("a small icon")];
    let frame = reader.next_frame(&mut rgba).expect("the icon decodes");
    rgba.truncate(frame.buffer_size());
    Icon::from_rgba(rgba, frame.width, frame.height).expect("RGBA pixels")
}

fn main() {
    let tmp = std::env::temp_dir();
    let (mut url, mut db, mut icons) = (
        "http://127.0.0.1:9/".to_owned(),
        tmp.join("bare-tray.sqlite3"),
        tmp.join("bare-tray-icons"),
    );
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || {
            args.next()
                .unwrap_or_else(|| panic!("{arg} needs a value\n{USAGE}"))
        };
        match arg.as_str() {
            "--url" => url = value(),
            "--db" => db = PathBuf::from(value()),
            "--icons" => icons = PathBuf::from(value()),
            other => panic!("unknown argument {other:?}\n{USAGE}"),
        }
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.spawn(async move {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .expect("an HTTP client");
        let mut tick = tokio::time::interval(Duration::from_secs(15));
        loop {
            tick.tick().await;
            let _ = client.get(&url).send().await;
        }
    });
    let sqlite = rusqlite::Connection::open(&db).expect("open the SQLite file");
    sqlite
        .execute_batch("PRAGMA journal_mode=WAL; CREATE TABLE IF NOT EXISTS polls(at INTEGER);")
        .expect("a table");

    let event_loop = EventLoopBuilder::new().build();
    let mut tray = None;
    event_loop.run(move |event, _, control_flow| {
        *control_flow = ControlFlow::Wait;
        if let Event::NewEvents(StartCause::Init) = event {
            sqlite
                .execute("INSERT INTO polls(at) VALUES (0)", [])
                .expect("a row");
            let menu = Menu::with_items(&[
                &MenuItem::new("All operational", false, None),
                &PredefinedMenuItem::separator(),
                &MenuItem::new("Open", true, None),
                &MenuItem::new("Quit", true, None),
            ])
            .expect("a menu");
            let built = TrayIconBuilder::new()
                .with_menu(Box::new(menu))
                .with_icon(icon())
                .with_temp_dir_path(&icons)
                .with_tooltip("bare tray")
                .build()
                .expect("a tray icon");
            // Kept for the loop's life, as the app keeps its own.
            tray.replace(built);
        }
    });
}
