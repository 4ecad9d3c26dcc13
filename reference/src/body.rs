//! Request bodies: size limit, Content-Type, strict JSON (or a form, for object writes) and the
//! wrapped object shape.

use crate::error::ApiError;
use crate::json::{self, Json};
use crate::model::Model;
use axum::body::Body;
use axum::http::{header, HeaderMap};

/// Only `application/json` (any parameters, any case) is JSON; form encoding is not served here.
pub fn is_json_content_type(headers: &HeaderMap) -> bool {
    let mut values = headers.get_all(header::CONTENT_TYPE).iter();
    let (Some(value), None) = (values.next(), values.next()) else {
        return false;
    };
    let Ok(value) = value.to_str() else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("application/json")
}

/// `application/x-www-form-urlencoded` (any parameters, any case), which object writes also accept.
pub fn is_form_content_type(headers: &HeaderMap) -> bool {
    let mut values = headers.get_all(header::CONTENT_TYPE).iter();
    let (Some(value), None) = (values.next(), values.next()) else {
        return false;
    };
    let essence = value.to_str().ok().and_then(|v| v.split(';').next()).unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("application/x-www-form-urlencoded")
}

async fn read_bytes(body: Body, limit: usize) -> Result<axum::body::Bytes, ApiError> {
    axum::body::to_bytes(body, limit).await.map_err(|_| {
        ApiError::bad_request(format!("The request body is larger than {limit} bytes or could not be read."))
    })
}

/// Read and parse a JSON body; every failure is 400 INVALID_API_REQUEST (never 413).
pub async fn read_json(headers: &HeaderMap, body: Body, limit: usize) -> Result<Json, ApiError> {
    if !is_json_content_type(headers) {
        return Err(ApiError::bad_request("The request body must be JSON with Content-Type: application/json."));
    }
    json::parse(&read_bytes(body, limit).await?).map_err(ApiError::bad_request)
}

/// Read a create/update body: JSON, or a form with bracket keys typed by `model`'s fields.
pub async fn read_write(headers: &HeaderMap, body: Body, limit: usize, model: &Model) -> Result<Json, ApiError> {
    if is_form_content_type(headers) {
        return crate::form::parse(&read_bytes(body, limit).await?, model);
    }
    read_json(headers, body, limit).await
}

/// The text to search for (`query`): from a form body, else from the URL; 400 when neither has it.
pub async fn read_search(headers: &HeaderMap, body: Body, limit: usize, url: Option<&str>) -> Result<String, ApiError> {
    let bytes = read_bytes(body, limit).await?;
    let form = String::from_utf8_lossy(&bytes);
    let from =
        |query: Option<&str>| crate::query::parse_pairs(query).into_iter().find(|(k, _)| k == "query").map(|(_, v)| v);
    let in_body = (is_form_content_type(headers) || !headers.contains_key(header::CONTENT_TYPE))
        .then(|| from(Some(&form)))
        .flatten();
    in_body
        .or_else(|| from(url))
        .ok_or_else(|| ApiError::bad_request("Parameter 'query' (the text to search for) is required."))
}

/// The fields of a create/update body, which must be `{"<type>": {...}}` and nothing else.
pub fn unwrap_model<'a>(doc: &'a Json, ty: &str) -> Result<&'a [(String, Json)], ApiError> {
    match doc {
        Json::Object(entries) if entries.len() == 1 => match entries.first() {
            Some((key, Json::Object(fields))) if key == ty => Ok(fields),
            _ => Err(shape_error(ty)),
        },
        _ => Err(shape_error(ty)),
    }
}

fn shape_error(ty: &str) -> ApiError {
    ApiError::bad_request(format!("The body must be a JSON object of the form {{\"{ty}\": {{...fields}}}}."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ct(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for v in values {
            headers.append(header::CONTENT_TYPE, HeaderValue::from_str(v).unwrap());
        }
        headers
    }

    #[test]
    fn content_type_rules() {
        assert!(is_json_content_type(&ct(&["application/json"])));
        assert!(is_json_content_type(&ct(&["Application/JSON; charset=utf-8"])));
        assert!(is_json_content_type(&ct(&["application/json;charset=UTF-8"])));
        assert!(!is_json_content_type(&ct(&[])));
        assert!(!is_json_content_type(&ct(&["text/plain"])));
        assert!(!is_json_content_type(&ct(&["application/x-www-form-urlencoded"])));
        assert!(!is_json_content_type(&ct(&["application/jsonx"])));
        assert!(!is_json_content_type(&ct(&["application/json-patch+json"])));
        assert!(!is_json_content_type(&ct(&["application/json", "application/json"])));
    }

    #[tokio::test]
    async fn over_the_limit_is_invalid_api_request() {
        let headers = ct(&["application/json"]);
        let doc = format!("{{\"task\":{{\"name\":\"{}\"}}}}", "x".repeat(100));
        let err = read_json(&headers, Body::from(doc.clone()), 50).await.unwrap_err();
        assert_eq!(err.kind, crate::error::ErrorType::InvalidApiRequest);
        assert!(read_json(&headers, Body::from(doc.clone()), doc.len()).await.is_ok(), "exactly the limit fits");
    }

    #[test]
    fn shape_must_wrap_fields_in_the_type_name() {
        let ok = json::parse(br#"{"task":{"name":"x"}}"#).unwrap();
        assert_eq!(unwrap_model(&ok, "task").unwrap().len(), 1);
        for bad in [
            r#"{"category":{}}"#,
            r#"{"task":{},"x":1}"#,
            r#"{"task":[]}"#,
            r#"[]"#,
            r#"{}"#,
            r#""task""#,
            r#"{"task":null}"#,
        ] {
            let doc = json::parse(bad.as_bytes()).unwrap();
            assert!(unwrap_model(&doc, "task").is_err(), "{bad}");
        }
    }
}
