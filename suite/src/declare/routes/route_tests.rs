//! The route table's tests: templates fill and match, targets name the right route, and every case
//! declares the route its path has.

use super::*;
use crate::declare::families::{all, tests::ctx};

#[test]
fn paths_fill_the_templates() {
    let c = ctx();
    let base = c.base();
    assert_eq!(Route::DataModel.path(&c), format!("{base}/datamodel.json"));
    assert_eq!(Route::Create.path(&c), c.collection());
    assert_eq!(Route::Delete.path(&c), c.object(&c.existing_id));
    assert_eq!(Route::Oplog.path_on(&c, "/x"), "/x/oplog.json?start=0");
    assert_eq!(Shape::Object.fill("", "t", "{{new0}}"), "/objects/t/{{new0}}.json");
    let methods: Vec<&str> = Shape::Object.routes().map(Route::method).collect();
    assert_eq!(methods, ["GET", "PATCH", "PUT", "DELETE"]);
}

#[test]
fn paths_match_their_shapes() {
    let object = match_path("/objects/task/ab.json?x=1").unwrap();
    assert_eq!((object.shape, object.object_type, object.id), (Shape::Object, Some("task"), Some("ab")));
    assert_eq!(match_path("/objects/task.json").unwrap().object_type, Some("task"));
    assert_eq!(match_path("/oplog.json?start=0").map(|m| m.shape), Some(Shape::Oplog));
    // The format may be left out (Retrieve a Single Object / All Objects: `json`, `xml` or none).
    assert_eq!(match_path("/datamodel").map(|m| m.shape), Some(Shape::DataModel));
    assert_eq!(match_path("/objects/task").map(|m| (m.shape, m.object_type)), Some((Shape::Collection, Some("task"))));
    assert_eq!(match_path("/objects/task/ab").and_then(|m| m.id), Some("ab"));
    assert_eq!(match_path("/datamodel.xml").map(|m| m.shape), Some(Shape::DataModelXml));
    let search = match_path("/objects/task/search.json").unwrap();
    assert_eq!((search.shape, search.object_type), (Shape::Search, Some("task")));
    assert_eq!(search.target("GET"), RouteTarget::OtherMethod(Shape::Search));
    // ...but a GET of it reads the object with the ID `search`, by the object template.
    let as_get = match_segments_for("GET", &["objects", "task", "search.json"]).unwrap();
    assert_eq!((as_get.shape, as_get.id), (Shape::Object, Some("search")));
    let as_post = match_segments_for("POST", &["objects", "task", "search.json"]).unwrap();
    assert_eq!(as_post.shape, Shape::Search);
    assert_eq!(RouteTarget::of_path("GET", "/b/objects/task/query.json", "/b"), RouteTarget::Route(Route::Get));
    assert_eq!(
        RouteTarget::of_path("TRACE", "/b/objects/task/query.json", "/b"),
        RouteTarget::OtherMethod(Shape::Query)
    );
    for none in ["", "/", "/objects.json", "/datamodels", "/datamodel.json/", "/objects/a/b/c.json", "//batch.json"] {
        assert_eq!(match_path(none), None, "{none}");
    }
    // Empty parameters still match (the reference judges them) but address no route.
    let empty_id = match_path("/objects/task/.json").unwrap();
    assert_eq!(empty_id.id, Some(""));
    assert_eq!(empty_id.target("GET"), RouteTarget::NonRoute);
    assert_eq!(match_path("/objects//task.json").unwrap().target("GET"), RouteTarget::NonRoute);
    assert_eq!(match_segments(&["objects", "a/b.json"]).unwrap().object_type, Some("a/b"));
}

#[test]
fn targets_name_documented_and_other_methods() {
    assert_eq!(Shape::Collection.target("POST"), RouteTarget::Route(Route::Create));
    assert_eq!(Shape::Collection.target("DELETE"), RouteTarget::OtherMethod(Shape::Collection));
    assert_eq!(Shape::DataModel.target("HEAD"), RouteTarget::OtherMethod(Shape::DataModel));
    assert_eq!(RouteTarget::of_path("GET", "/b/datamodel.json", "/b"), RouteTarget::Route(Route::DataModel));
    assert_eq!(RouteTarget::of_path("GET", "/c/datamodel.json", "/b"), RouteTarget::NonRoute);
    for route in Route::ALL {
        assert_eq!(route.request(&ctx()).target, RouteTarget::Route(route));
        assert_eq!(route.shape().route(route.method()), Some(route));
    }
}

/// What a path says it addresses below any account: the check that declared targets are right.
fn read_back(method: &str, path: &str, prefix: &str) -> RouteTarget {
    let path = path.split_once('?').map_or(path, |(p, _)| p);
    let below = path.strip_prefix(prefix).and_then(|p| p.strip_prefix("/api/v4/"));
    match below.and_then(|p| p.find('/').filter(|at| *at > 0).map(|at| &p[at..])) {
        Some(rest) => match_path(rest).map_or(RouteTarget::NonRoute, |m| m.target(method)),
        None => RouteTarget::NonRoute,
    }
}

#[test]
fn every_case_declares_the_route_its_path_has() {
    for prefix in ["", "/gw"] {
        let mut c = ctx();
        c.prefix = prefix.into();
        for case in all(&c) {
            let req = &case.request;
            assert_eq!(req.target, read_back(&req.method, &req.path, prefix), "{} ({})", case.id, req.path);
        }
    }
}

#[test]
fn formats_and_upper_case_spellings_fill_the_templates() {
    let c = ctx();
    let base = c.base();
    assert_eq!(Shape::Object.path_in(&c, Format::Xml), format!("{base}/objects/task/{}.xml", c.existing_id));
    assert_eq!(Shape::Collection.path_in(&c, Format::Bare), format!("{base}/objects/task"));
    assert_eq!(Shape::Oplog.path_in(&c, Format::Json), format!("{base}/oplog.json?start=0"));
    assert_eq!(Shape::DataModel.formats(), [Format::Json, Format::Bare]);
    assert_eq!(Shape::Collection.path_upper(&c), format!("{base}/OBJECTS/task.json"));
    assert_eq!(Shape::Query.path_upper(&c), format!("{base}/OBJECTS/task/QUERY.json"));
    assert_eq!(Shape::Oplog.path_upper(&c), format!("{base}/OPLOG.json?start=0"));
    // No upper-case spelling is a route of the suite's own table.
    for shape in Shape::ALL.into_iter().chain(Shape::CLIENT) {
        let path = shape.path_upper(&c);
        let target = RouteTarget::of_path(shape.routes().next().map_or("GET", Route::method), &path, &base);
        assert_eq!(target, RouteTarget::NonRoute, "{path}");
    }
}
