//! List parameters parsed and applied.

use super::*;
use crate::model;
use crate::store::Object;
use crate::values::Stored;
use serde_json::json;
use std::collections::BTreeMap;

fn task() -> &'static Model {
    model::find("task").unwrap()
}

fn err(q: &str) -> bool {
    parse_list(task(), Some(q)).is_err()
}

#[test]
fn limit_and_skip() {
    let p = parse_list(task(), None).unwrap();
    assert_eq!((p.limit, p.skip), (1000, 0));
    let p = parse_list(task(), Some("limit=5&skip=2")).unwrap();
    assert_eq!((p.limit, p.skip), (5, 2));
    assert_eq!(parse_list(task(), Some("limit=5000")).unwrap().limit, 1000);
    assert_eq!(parse_list(task(), Some("limit=99999999999999999999999")).unwrap().limit, 1000);
    assert_eq!(parse_list(task(), Some("limit=0")).unwrap().limit, 0);
    for bad in
        ["limit=-1", "limit=abc", "limit=%20", "limit=1.5", "limit=+1", "skip=-1", "skip=x", "limit=1e3", "limit= 1"]
    {
        assert!(err(bad), "{bad}");
    }
    assert!(!err("unknown=1&other"), "unknown parameters are ignored");
    // The vendor's client sends empty paging values when it has none; they mean "not given".
    let p = parse_list(task(), Some("limit=&skip=")).unwrap();
    assert_eq!((p.limit, p.skip), (1000, 0));
    let p = parse_list(task(), Some("limit=&skip=3")).unwrap();
    assert_eq!((p.limit, p.skip), (1000, 3));
}

#[test]
fn sort_and_query_names_are_checked() {
    for good in [
        "sort[name]=asc",
        "sort[_updated_at]=DESC",
        "sort[updated_at]=desc",
        "sort[_id]=asc",
        "query[name]=x",
        "q[count.gt]=3",
        "q[status]=open",
        "q[tags.contains]=red",
        "q[place.null]=true",
        "q[_id]=x",
        "q[category_id.null]=false",
        "q[due_at.gte]=2024-01-01T00:00:00Z",
        "q[_updated_at.lt]=2030-01-01T00:00Z",
        "sort%5Bname%5D=asc",
        "sort[name]=1",
        "sort[name]=-1",
        "sort[name]=ASC",
        "sort[name]=desc",
        "total=true",
        "embed[category]=true",
        "embed[]=category",
        "embed=category",
    ] {
        assert!(!err(good), "{good}");
    }
    for bad in [
        "sort[nope]=asc",
        "sort[name]=up",
        "sort[name]=Asc",
        "sort[name]=2",
        "sort[name]=+1",
        "sort[name]=",
        "total=yes",
        "embed[nope]=1",
        "embed=nope",
        "sort[tags]=asc",
        "query[nope]=1",
        "q[name.like]=x",
        "q[count]=abc",
        "q[count.gt]=1.5",
        "q[done]=yes",
        "q[place]=1",
        "q[name.null]=maybe",
        "q[due_on]=tomorrow",
        "q[id]=x",
    ] {
        assert!(err(bad), "{bad}");
    }
}

fn obj(created: u64, name: Option<&str>, count: Option<i64>) -> Object {
    let mut fields = BTreeMap::new();
    if let Some(n) = name {
        fields.insert("name", Stored::Text(n.into()));
    }
    if let Some(c) = count {
        fields.insert("count", Stored::Integer(c));
    }
    Object { id: uuid::Uuid::new_v4(), ty: "task", updated_at: chrono::Utc::now().naive_utc(), created, fields }
}

#[test]
fn filter_sort_and_page() {
    let objects = [
        obj(1, Some("Alpha"), Some(3)),
        obj(2, Some("beta"), Some(1)),
        obj(3, None, Some(2)),
        obj(4, Some("gamma"), None),
    ];
    let refs = || objects.iter().collect::<Vec<_>>();
    let names = |q: &str| {
        let p = parse_list(task(), Some(q)).unwrap();
        let (page, total) = apply(&p, refs());
        (page.iter().map(|o| o.created).collect::<Vec<_>>(), total)
    };
    assert_eq!(names(""), (vec![1, 2, 3, 4], 4));
    assert_eq!(names("sort[count]=desc"), (vec![1, 3, 2, 4], 4));
    assert_eq!(names("sort[count]=-1"), (vec![1, 3, 2, 4], 4));
    assert_eq!(names("sort[count]=1"), (vec![4, 2, 3, 1], 4));
    assert_eq!(names("sort[count]=DESC"), (vec![1, 3, 2, 4], 4));
    assert_eq!(names("q[count.gte]=2"), (vec![1, 3], 2));
    assert_eq!(names("q[count.gte]=2&q[name.null]=false"), (vec![1], 1));
    // Query Objects: `contains` is case-sensitive.
    assert_eq!(names("q[name.contains]=Alp"), (vec![1], 1));
    assert_eq!(names("q[name.contains]=ALP"), (vec![], 0));
    assert_eq!(names("q[count.ne]=1"), (vec![1, 3, 4], 3));
    assert_eq!(names("q[count.null]=true"), (vec![4], 1));
    assert_eq!(names("limit=2&skip=1"), (vec![2, 3], 4));
    assert_eq!(names("skip=10"), (vec![], 4));
}

#[test]
fn query_json_expressions_filter_like_the_runtime() {
    let mut objects = [obj(1, Some("Alpha"), Some(3)), obj(2, Some("beta"), Some(1)), obj(3, None, Some(2))];
    objects[0].fields.insert("tags", Stored::Multi(vec!["red".into(), "blue".into()]));
    objects[1].fields.insert("due_on", Stored::Date(chrono::NaiveDate::from_ymd_opt(2024, 5, 1).unwrap()));
    let at = chrono::NaiveDate::from_ymd_opt(2024, 5, 1).unwrap().and_hms_nano_opt(10, 0, 0, 500_000_000).unwrap();
    objects[2].fields.insert("due_at", Stored::Datetime(at));
    let category = uuid::Uuid::new_v4();
    objects[2].fields.insert("category_id", Stored::Ref(category));
    let found = |expression: &str, arguments: serde_json::Value| {
        let doc = json!({"expression": expression, "arguments": arguments}).to_string();
        let p = parse_query_body(task(), &crate::json::parse(doc.as_bytes()).unwrap()).unwrap();
        apply(&p, objects.iter().collect()).0.iter().map(|o| o.created).collect::<Vec<_>>()
    };

    assert_eq!(found("name starts with ? or count = ? and name = ?", json!(["AL", 1, "x"])), vec![1]);
    assert_eq!(found("(name starts with ? or count = ?) and count < ?", json!(["al", 1, 3])), vec![2]);
    assert_eq!(found("((name contains ?))", json!(["ET"])), vec![2]);
    assert_eq!(found("name = ?", json!(["alpha"])), Vec::<u64>::new(), "`=` keeps case");
    assert_eq!(found("count not in ?", json!([[1, 3]])), vec![3]);
    assert_eq!(found("name in ?", json!([["beta", null]])), vec![2, 3]);
    assert_eq!(found("name != ?", json!([null])), vec![1, 2]);
    assert_eq!(found("count > ?", json!([null])), Vec::<u64>::new());
    assert_eq!(found("tags contains ?", json!([["blue", "red"]])), vec![1]);
    assert_eq!(found("tags = ?", json!(["red"])), Vec::<u64>::new());
    assert_eq!(found("tags not in ?", json!([["red"]])), vec![2, 3]);
    assert_eq!(found("due_on >= ?", json!(["2024-05-01T00:00:00.000Z"])), vec![2]);
    assert_eq!(found("due_at = ?", json!(["2024-05-01T10:00:00Z"])), vec![3], "to the second");
    assert_eq!(found("due_at < ?", json!(["2024-05-01T10:00:01.000Z"])), vec![3]);
    assert_eq!(found("category = ?", json!([{"id": category.to_string()}])), vec![3]);
    assert_eq!(found("category_id = ?", json!([category.to_string()])), vec![3]);
    assert_eq!(found("category_id = ?", json!([null])), vec![1, 2]);
}
