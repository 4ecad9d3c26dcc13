//! Attachment URLs (302 to the file) and the file download itself.
//!
//! Both are capability URLs: `attachments/{id}/{token}` and `files/{id}/{token}/{filename}` carry the
//! file's random token, and that is all they ask for. The vendor's db client downloads an attachment with
//! a bare `fetch(url)` and no `Authorization` (`journeyapps-db/src/types/Attachment.ts`), so the service's
//! URLs work without credentials; a guessed or altered token is 404 like an unknown file.

use crate::error::{ApiError, ErrorType};
use crate::store::AccountData;
use crate::values::parse_id;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Filenames are already restricted; only the space needs escaping, the rest stays readable.
const FILENAME: &AsciiSet = &NON_ALPHANUMERIC.remove(b'.').remove(b'-').remove(b'_');

/// The one answer to every capability that opens nothing, so no account, ID or token can be probed.
pub fn missing() -> ApiError {
    ApiError::new(ErrorType::ObjectNotFound, "No attachment found with that ID.")
}

/// `GET attachments/{id}/{token}` → 302 to the download path of the stored file.
pub fn redirect(data: &AccountData, id: &str, token: &str, base: &str) -> Result<Response, ApiError> {
    let uuid = parse_id(id).ok_or_else(missing)?;
    let (filename, _) = data.file(uuid, token).ok_or_else(missing)?;
    let token = utf8_percent_encode(token, NON_ALPHANUMERIC);
    let location = format!("{base}/files/{uuid}/{token}/{}", utf8_percent_encode(filename, FILENAME));
    let location = HeaderValue::from_str(&location).map_err(|_| missing())?;
    Ok((StatusCode::FOUND, [(header::LOCATION, location)]).into_response())
}

/// `GET files/{id}/{token}/{filename}` → the bytes, named as uploaded (filenames are validated, so quoting is safe).
pub fn download(data: &AccountData, id: &str, token: &str, filename: &str) -> Result<Response, ApiError> {
    let uuid = parse_id(id).ok_or_else(missing)?;
    let (stored_name, bytes) = data.file(uuid, token).filter(|(name, _)| *name == filename).ok_or_else(missing)?;
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
