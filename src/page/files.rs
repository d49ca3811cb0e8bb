//! Moving files between the person's computer and the kernel's file system: a download
//! of bytes under a name, and the bytes of a file picked for upload. The file browser
//! (and anything else) pairs these with `file_request` messages to the kernel. A file's
//! bytes stay in `ArrayBuffer`s, outside the page's module: the browser reads them from
//! there into a `Blob`, and an upload's are transferred to the kernel as they were read.

use js_sys::{ArrayBuffer, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag, Document, HtmlAnchorElement, Url};

/// The last part of a path, used as the downloaded file's name.
pub fn download_name(path: &str) -> &str {
    path.rsplit('/').find(|part| !part.is_empty()).unwrap_or("download")
}

/// A `blob:` URL holding the bytes of `part`, an `ArrayBuffer` or a typed array (revoke it
/// with `Url::revoke_object_url` when done).
pub fn blob_url(part: &JsValue) -> Result<String, JsValue> {
    let parts = js_sys::Array::of1(part);
    let options = BlobPropertyBag::new();
    options.set_type("application/octet-stream");
    let blob = Blob::new_with_buffer_source_sequence_and_options(&parts, &options)?;
    Url::create_object_url_with_blob(&blob)
}

/// Offers `bytes` to the person as a download named after `path`.
pub fn download(doc: &Document, path: &str, bytes: &[u8]) -> Result<(), JsValue> {
    download_buffer(doc, path, &Uint8Array::from(bytes).buffer())
}

/// Offers the bytes of `buffer` (as the kernel sent them) as a download named after
/// `path`, without copying them into the page's module.
pub fn download_buffer(doc: &Document, path: &str, buffer: &ArrayBuffer) -> Result<(), JsValue> {
    let url = blob_url(buffer)?;
    let link: HtmlAnchorElement = doc.create_element("a")?.unchecked_into();
    link.set_href(&url);
    link.set_download(download_name(path));
    link.click();
    // The click has started the download; the URL can go once the event loop moves on.
    gloo_timers::callback::Timeout::new(1_000, move || {
        let _ = Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}

/// The contents of a file the person picked (from an `<input type="file">`), in an
/// `ArrayBuffer` of their own, ready to transfer.
pub async fn read_picked(file: &web_sys::File) -> Result<ArrayBuffer, JsValue> {
    Ok(JsFuture::from(file.array_buffer()).await?.unchecked_into())
}
