//! The tray process links no webview: `ldd` of `outage-radar` (and `objdump -p` of the Windows `.exe`) names no WebKitGTK, JavaScriptCore, libsoup or WebView2, while the window binary beside it does.
//!
//! The window binary is checked too so that the check itself is seen to work: the same
//! words found in the window's libraries must be missing from the tray's.

use outage_radar_tests::{app_binary, tools_available, window_binary, wine};
use std::path::Path;
use std::process::Command;

/// The libraries a webview brings, as their file names start (any version).
const WEBVIEW_LIBS: &[&str] = &[
    "libwebkit2gtk",
    "libjavascriptcoregtk",
    "libsoup",
    "webview2loader",
];

/// The webview libraries among `libraries` (lower-case file names).
fn webview_libs(libraries: &[String]) -> Vec<String> {
    libraries
        .iter()
        .filter(|l| WEBVIEW_LIBS.iter().any(|w| l.starts_with(w)))
        .cloned()
        .collect()
}

/// The shared libraries `bin` loads, as the dynamic linker resolves them (direct and
/// indirect: a library that pulls WebKit in counts).
fn ldd(bin: &Path) -> Vec<String> {
    let out = Command::new("ldd").arg(bin).output().expect("run ldd");
    assert!(out.status.success(), "ldd {}: {out:?}", bin.display());
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .map(|name| {
            Path::new(name)
                .file_name()
                .map_or_else(|| name.to_owned(), |f| f.to_string_lossy().into_owned())
                .to_lowercase()
        })
        .collect()
}

/// The DLLs a PE file imports (`DLL Name:` lines of `objdump -p`).
fn pe_imports(objdump: &str, exe: &Path) -> Vec<String> {
    let out = Command::new(objdump)
        .arg("-p")
        .arg(exe)
        .output()
        .expect("run objdump");
    assert!(
        out.status.success(),
        "objdump -p {}: {out:?}",
        exe.display()
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.trim().strip_prefix("DLL Name:"))
        .map(|n| n.trim().to_lowercase())
        .collect()
}

#[test]
fn the_tray_binary_links_no_webview_and_the_window_binary_does() {
    if !tools_available(&["ldd"]) {
        return;
    }
    let tray = ldd(&app_binary());
    assert!(
        tray.iter().any(|l| l.starts_with("libgtk-3")),
        "the tray links GTK for its menu; ldd listed {tray:?}"
    );
    assert_eq!(
        webview_libs(&tray),
        Vec::<String>::new(),
        "the tray binary {} links a webview",
        app_binary().display()
    );
    let window = webview_libs(&ldd(&window_binary()));
    for lib in ["libwebkit2gtk", "libjavascriptcoregtk", "libsoup"] {
        assert!(
            window.iter().any(|l| l.starts_with(lib)),
            "the window binary links {lib}: {window:?}"
        );
    }
    println!("tray: {} libraries, none a webview's", tray.len());
}

#[test]
fn the_windows_tray_exe_imports_no_webview2() {
    let Some(wine) = wine::setup() else { return };
    if !tools_available(&["x86_64-w64-mingw32-objdump"]) {
        return;
    }
    let objdump = "x86_64-w64-mingw32-objdump";
    let tray = pe_imports(objdump, &wine.exe);
    assert!(
        tray.iter().any(|d| d == "user32.dll"),
        "the tray imports user32 for its icon: {tray:?}"
    );
    assert_eq!(
        webview_libs(&tray),
        Vec::<String>::new(),
        "{}",
        wine.exe.display()
    );
    let window_exe = wine.exe.with_file_name("outage-radar-window.exe");
    let window = pe_imports(objdump, &window_exe);
    assert!(
        window.iter().any(|d| d == "webview2loader.dll"),
        "{} imports WebView2Loader.dll: {window:?}",
        window_exe.display()
    );
}
