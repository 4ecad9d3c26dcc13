//! Query Objects beyond the list parameters: `search.json` (a partial text match across all fields) and
//! how `contains` treats case (the list's is case-sensitive, as the page says; `query.json`'s is not).

use crate::client::{basic, Api};
use serde_json::json;

fn ids(reply: &crate::client::Reply) -> Vec<String> {
    let list = reply.json();
    list["objects"].as_array().unwrap().iter().map(|o| o["id"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn search_finds_a_partial_match_in_any_text_field_whatever_its_case() {
    let api = Api::new();
    let site = api.create(json!({"name": "Visit the Site office", "count": 1})).await;
    let other = api.create(json!({"name": "n", "description": "site survey"})).await;
    api.create(json!({"name": "unrelated"})).await;
    let auth = api.auth();
    let form = [("authorization", auth.as_str()), ("content-type", "application/x-www-form-urlencoded")];
    let found = api.raw("POST", "/api/v4/acc1/objects/task/search.json", &form, "query=site").await;
    assert_eq!(found.status.as_u16(), 200, "{}", String::from_utf8_lossy(&found.body));
    let mut want = vec![site["id"].as_str().unwrap().to_string(), other["id"].as_str().unwrap().to_string()];
    want.sort();
    let mut got = ids(&found);
    got.sort();
    assert_eq!(got, want);
    assert_eq!(found.json()["count"], 2);
    // The text may come in the URL instead, and the list parameters page it.
    let paged = api.call("POST", "objects/task/search.json?query=SITE&limit=1", None).await;
    assert_eq!((ids(&paged).len(), paged.json()["more"].clone()), (1, json!(true)));
    api.call("POST", "objects/task/search.json", None).await.error(400, "INVALID_API_REQUEST");
    api.call("POST", "objects/ghost/search.json?query=x", None).await.error(404, "ROUTE_ERROR");
    // Another account's objects are not searched.
    let theirs = api
        .raw(
            "POST",
            "/api/v4/acc2/objects/task/search.json?query=site",
            &[("authorization", &basic(&api.other.id, &api.other.password))],
            "",
        )
        .await;
    assert_eq!(ids(&theirs), Vec::<String>::new());
}

#[tokio::test]
async fn contains_is_case_sensitive_in_a_list_and_not_in_query_json() {
    let api = Api::new();
    let made = api.create(json!({"name": "Wash Dishes"})).await;
    let id = made["id"].as_str().unwrap().to_string();
    assert_eq!(
        ids(&api.call("GET", "objects/task.json?query%5Bname.contains%5D=Dish", None).await),
        std::slice::from_ref(&id)
    );
    assert!(ids(&api.call("GET", "objects/task.json?query%5Bname.contains%5D=dish", None).await).is_empty());
    let body = json!({"expression": "name contains ?", "arguments": ["dish"]}).to_string();
    assert_eq!(ids(&api.call("POST", "objects/task/query.json", Some(&body)).await), [id]);
}
