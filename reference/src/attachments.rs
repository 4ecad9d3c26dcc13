//! Attachment URLs (302 to the file) and the file download itself.
//!
//! The download path `files/{id}/{filename}` sits under the account prefix and needs the same
//! credentials: same-origin redirects keep the Authorization header in common clients, and it keeps
//! one authentication rule for every route.

use crate::error::{ApiError, ErrorType};
use crate::store::AccountData;
use crate::values::parse_id;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Filenames are already restricted; only the space needs escaping, the rest stays readable.
const FILENAME: &AsciiSet = &NON_ALPHANUMERIC.remove(b'.').remove(b'-').remove(b'_');

fn missing() -> ApiError {
    ApiError::new(ErrorType::ObjectNotFound, "No attachment found with that ID.")
}

/// `GET attachments/{id}` → 302 to the download path of the stored file.
pub fn redirect(data: &AccountData, id: &str, base: &str) -> Result<Response, ApiError> {
    let uuid = parse_id(id).ok_or_else(missing)?;
    let (filename, _) = data.file(uuid).ok_or_else(missing)?;
    let location = format!("{base}/files/{uuid}/{}", utf8_percent_encode(filename, FILENAME));
    let location = HeaderValue::from_str(&location).map_err(|_| missing())?;
    Ok((StatusCode::FOUND, [(header::LOCATION, location)]).into_response())
}

/// `GET files/{id}/{filename}` → the bytes, named as uploaded (filenames are validated, so quoting is safe).
pub fn download(data: &AccountData, id: &str, filename: &str) -> Result<Response, ApiError> {
    let uuid = parse_id(id).ok_or_else(missing)?;
    let (stored_name, bytes) = data.file(uuid).filter(|(name, _)| *name == filename).ok_or_else(missing)?;
    let disposition =
        HeaderValue::from_str(&format!("attachment; filename=\"{stored_name}\"")).map_err(|_| missing())?;
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("application/octet-stream")),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes.to_vec(),
    )
        .into_response())
}
