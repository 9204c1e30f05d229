//! Build script: generates Tauri's context and the window's command permissions.

#[path = "src/ipc.rs"]
#[allow(dead_code, unused_imports)]
mod ipc;

fn main() {
    let manifest = tauri_build::AppManifest::new().commands(ipc::COMMANDS);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .unwrap_or_else(|e| panic!("tauri-build: {e:#}"));
}
