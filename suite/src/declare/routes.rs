//! Spec §1's route table, stated once: each route shape below the account base with its documented
//! methods and the name case IDs use, the per-method [`Route`]s families request, and [`match_path`],
//! the only code that reads a path back into a shape.

use crate::declare::case::CaseRequest;
use crate::declare::ctx::Ctx;
use std::sync::LazyLock;

/// A path shape of spec §1 below `{prefix}/api/v4/{account}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Shape {
    DataModel,
    Collection,
    Object,
    Oplog,
    Batch,
    /// The data model as schema XML, which the vendor's db client loads.
    DataModelXml,
    /// The deployment's description the vendor's backend client reads.
    Info,
    /// The indexes per model the vendor's backend client reads.
    Indexes,
    /// A query in the body (`POST`), as the vendor's db client sends conditions.
    Query,
    /// A partial text match across all fields (`POST`, the text in a form's `query`): Query Objects.
    Search,
}

/// One row of the route table.
struct ShapeRow {
    /// The template as the docs write it; `{type}` and `{id}` stand for whole segments or their stems.
    template: &'static str,
    /// The name used in case IDs.
    name: &'static str,
    /// A query that makes a plain GET valid (the oplog needs `start`).
    query: &'static str,
}

/// Indexed by [`Shape`] (declaration order is spec order).
const SHAPES: [ShapeRow; 10] = [
    ShapeRow { template: "/datamodel.json", name: "datamodel", query: "" },
    ShapeRow { template: "/objects/{type}.json", name: "objects-collection", query: "" },
    ShapeRow { template: "/objects/{type}/{id}.json", name: "object", query: "" },
    ShapeRow { template: "/oplog.json", name: "oplog", query: "?start=0" },
    ShapeRow { template: "/batch.json", name: "batch", query: "" },
    ShapeRow { template: "/datamodel.xml", name: "datamodel-xml", query: "" },
    ShapeRow { template: "/info.json", name: "info", query: "" },
    ShapeRow { template: "/indexes.json", name: "indexes", query: "" },
    ShapeRow { template: "/objects/{type}/query.json", name: "query", query: "" },
    ShapeRow { template: "/objects/{type}/search.json", name: "search", query: "" },
];

/// One documented API route (spec §1): a method on a shape, with a valid request for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Route {
    DataModel,
    List,
    Create,
    Get,
    Patch,
    Put,
    Delete,
    Oplog,
    Batch,
    DataModelXml,
    Info,
    Indexes,
    Query,
    Search,
}

/// Indexed by [`Route`]: (name in case IDs, documented method, shape).
const ROUTES: [(&str, &str, Shape); 14] = [
    ("datamodel", "GET", Shape::DataModel),
    ("list", "GET", Shape::Collection),
    ("create", "POST", Shape::Collection),
    ("get", "GET", Shape::Object),
    ("patch", "PATCH", Shape::Object),
    ("put", "PUT", Shape::Object),
    ("delete", "DELETE", Shape::Object),
    ("oplog", "GET", Shape::Oplog),
    ("batch", "POST", Shape::Batch),
    ("datamodel-xml", "GET", Shape::DataModelXml),
    ("info", "GET", Shape::Info),
    ("indexes", "GET", Shape::Indexes),
    ("query", "POST", Shape::Query),
    ("search", "POST", Shape::Search),
];

/// Which route a request addresses, carried by the request from where it is built so reports never
/// re-parse paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RouteTarget {
    /// A documented method on its shape.
    Route(Route),
    /// A route shape with a method it does not document (HEAD and OPTIONS included).
    OtherMethod(Shape),
    /// A path of no route shape, whatever the method.
    NonRoute,
}

/// A path matched to its shape, with the `{type}` and `{id}` it names (`None` where the shape has none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RouteMatch<'a> {
    pub shape: Shape,
    pub object_type: Option<&'a str>,
    pub id: Option<&'a str>,
}

/// A template segment: literal text, or a parameter with the suffix its segment carries.
#[derive(Clone, Copy)]
enum Part<'t> {
    Literal(&'t str),
    Param { name: &'t str, suffix: &'t str },
}

fn parts(template: &str) -> impl Iterator<Item = Part<'_>> {
    template.trim_start_matches('/').split('/').map(|p| match p.strip_prefix('{').and_then(|p| p.split_once('}')) {
        Some((name, suffix)) => Part::Param { name, suffix },
        None => Part::Literal(p),
    })
}

/// Every shape's template split once: the fuzz grammar matches a path per input, so splitting the
/// templates anew would be paid on every input.
static PARTS: LazyLock<Vec<Vec<Part<'static>>>> =
    LazyLock::new(|| SHAPES.iter().map(|row| parts(row.template).collect()).collect());

impl Shape {
    /// Every shape, in spec order.
    pub const ALL: [Shape; 5] = [Shape::DataModel, Shape::Collection, Shape::Object, Shape::Oplog, Shape::Batch];

    /// The shapes beyond spec §1's: those the vendor's clients use (the `clients` family's) and the docs'
    /// search; the families that cross every shape keep to [`Shape::ALL`].
    pub const CLIENT: [Shape; 5] = [Shape::DataModelXml, Shape::Info, Shape::Indexes, Shape::Query, Shape::Search];

    fn row(self) -> &'static ShapeRow {
        &SHAPES[self as usize]
    }

    /// The template's segments, split once.
    fn parts(self) -> &'static [Part<'static>] {
        &PARTS[self as usize]
    }

    /// The template as the docs write it, e.g. `/objects/{type}/{id}.json`.
    pub fn template(self) -> &'static str {
        self.row().template
    }

    /// The name used in case IDs.
    pub fn name(self) -> &'static str {
        self.row().name
    }

    /// The documented routes of this shape, in spec order.
    pub fn routes(self) -> impl Iterator<Item = Route> {
        Route::ALL.into_iter().chain(Route::CLIENT).filter(move |r| r.shape() == self)
    }

    /// The documented route of `method` on this shape, if there is one.
    pub fn route(self, method: &str) -> Option<Route> {
        self.routes().find(|r| r.method() == method)
    }

    /// What a request of `method` on a path of this shape addresses.
    pub fn target(self, method: &str) -> RouteTarget {
        self.route(method).map_or(RouteTarget::OtherMethod(self), RouteTarget::Route)
    }

    /// This shape below `base`, naming `object_type` and `id` (already percent-encoded).
    pub fn fill(self, base: &str, object_type: &str, id: &str) -> String {
        let mut out = base.to_string();
        for &part in self.parts() {
            out.push('/');
            match part {
                Part::Literal(text) => out.push_str(text),
                Part::Param { name, suffix } => {
                    out.push_str(if name == "id" { id } else { object_type });
                    out.push_str(suffix);
                }
            }
        }
        out
    }

    /// This shape on the first account, addressing the fixture object, with the query a GET needs.
    pub fn path(self, ctx: &Ctx) -> String {
        self.path_on(ctx, &ctx.base())
    }

    /// The same below another base path (another account's).
    pub fn path_on(self, ctx: &Ctx, base: &str) -> String {
        self.fill(base, &ctx.object_type, &ctx.existing_id) + self.row().query
    }

    /// A request of `method` on a path of this shape built by hand (another type, a fresh ID, odd parameters).
    pub fn request(self, method: &str, path: impl Into<String>) -> CaseRequest {
        let mut req = CaseRequest::new(method, path);
        req.target = self.target(method);
        req
    }

    /// The match of `segments` (decoded or not) against this shape's template.
    fn capture<'a>(self, segments: &[&'a str]) -> Option<RouteMatch<'a>> {
        let parts = self.parts();
        if parts.len() != segments.len() {
            return None;
        }
        let mut found = RouteMatch { shape: self, object_type: None, id: None };
        let last = segments.len() - 1;
        for (i, (&part, segment)) in parts.iter().zip(segments).enumerate() {
            // The docs' `{format}` in the last segment: `json` (written here), or left out.
            let optional_json = i == last;
            match part {
                Part::Literal(text) => {
                    let bare = text.strip_suffix(".json").filter(|_| optional_json);
                    if *segment != text && Some(*segment) != bare {
                        return None;
                    }
                }
                Part::Param { name, suffix } => {
                    let value = Some(match segment.strip_suffix(suffix) {
                        Some(stem) => stem,
                        None if optional_json && suffix == ".json" => segment,
                        None => return None,
                    });
                    if name == "id" {
                        found.id = value;
                    } else {
                        found.object_type = value;
                    }
                }
            }
        }
        Some(found)
    }
}

/// The shape of path segments below the account (`["objects", "task.json"]`), if they have one.
/// Parameters may be empty here (`/objects/task/.json`): the reference and the fuzz oracle judge those.
/// The client shapes come first: `objects/{type}/query.json` and `search.json` are more specific than an
/// object path.
pub fn match_segments<'a>(segments: &[&'a str]) -> Option<RouteMatch<'a>> {
    Shape::CLIENT.into_iter().chain(Shape::ALL).find_map(|shape| shape.capture(segments))
}

/// The match of `segments` as `method` reads them: the first shape that matches and documents the
/// method, else the first that matches. `GET objects/{type}/search.json` is then a single-object read of
/// the ID `search`, which it also is by the docs' object template, not a method `search.json` lacks.
pub fn match_segments_for<'a>(method: &str, segments: &[&'a str]) -> Option<RouteMatch<'a>> {
    let mut matches = Shape::CLIENT.into_iter().chain(Shape::ALL).filter_map(|shape| shape.capture(segments));
    let first = matches.next()?;
    if first.shape.route(method).is_some() {
        return Some(first);
    }
    Some(matches.find(|m| m.shape.route(method).is_some()).unwrap_or(first))
}

/// The shape of a path below the account base (`/objects/task.json?limit=1`), ignoring the query.
pub fn match_path(below_account: &str) -> Option<RouteMatch<'_>> {
    match_segments(&segments_of(below_account)?)
}

/// The segments of a path below the account base (`/objects/task.json?limit=1` → `objects`, `task.json`).
fn segments_of(below_account: &str) -> Option<Vec<&str>> {
    let path = below_account.split_once('?').map_or(below_account, |(p, _)| p);
    Some(path.strip_prefix('/')?.split('/').collect())
}

impl RouteMatch<'_> {
    /// What `method` on this path addresses; an empty `{type}` or `{id}` makes it no route (a §7 path trick).
    pub fn target(&self, method: &str) -> RouteTarget {
        if self.object_type == Some("") || self.id == Some("") {
            RouteTarget::NonRoute
        } else {
            self.shape.target(method)
        }
    }
}

impl RouteTarget {
    /// What `method` on a path below `base` addresses, for requests whose path is built by hand.
    pub fn of_path(method: &str, path: &str, base: &str) -> RouteTarget {
        let segments = path.strip_prefix(base).and_then(segments_of);
        let found = segments.and_then(|s| match_segments_for(method, &s));
        found.map_or(RouteTarget::NonRoute, |m| m.target(method))
    }
}

impl Route {
    /// Every documented route, in spec order.
    pub const ALL: [Route; 9] = [
        Route::DataModel,
        Route::List,
        Route::Create,
        Route::Get,
        Route::Patch,
        Route::Put,
        Route::Delete,
        Route::Oplog,
        Route::Batch,
    ];

    /// The routes of [`Shape::CLIENT`], which only the `clients`, `query` and isolation cases request.
    pub const CLIENT: [Route; 5] = [Route::DataModelXml, Route::Info, Route::Indexes, Route::Query, Route::Search];

    /// The name used in case IDs.
    pub fn name(self) -> &'static str {
        ROUTES[self as usize].0
    }

    /// The documented method.
    pub fn method(self) -> &'static str {
        ROUTES[self as usize].1
    }

    /// The path shape it is a method of.
    pub fn shape(self) -> Shape {
        ROUTES[self as usize].2
    }

    /// The path (and query) of this route on the first account, addressing the fixture object.
    pub fn path(self, ctx: &Ctx) -> String {
        self.shape().path(ctx)
    }

    /// The same route below another base path (another account's).
    pub fn path_on(self, ctx: &Ctx, base: &str) -> String {
        self.shape().path_on(ctx, base)
    }

    /// The valid body of this route, if it takes one.
    pub fn body(self, ctx: &Ctx) -> Option<Vec<u8>> {
        match self {
            Route::Create | Route::Patch | Route::Put => Some(ctx.wrapped_body()),
            Route::Batch => Some(ctx.batch_body()),
            // The emptiest query the vendor's client sends: every object, one of them.
            Route::Query => Some(br#"{"expression":"","arguments":[],"limit":1}"#.to_vec()),
            _ => None,
        }
    }

    /// A valid request of this route with the first account's credentials.
    pub fn request(self, ctx: &Ctx) -> CaseRequest {
        self.request_on(ctx, &ctx.base())
    }

    /// This route's method and path with no body yet, for cases that supply their own.
    pub fn bare(self, ctx: &Ctx) -> CaseRequest {
        self.shape().request(self.method(), self.path(ctx))
    }

    /// A valid request of this route below another base path.
    pub fn request_on(self, ctx: &Ctx, base: &str) -> CaseRequest {
        let req = self.shape().request(self.method(), self.path_on(ctx, base));
        match self.body(ctx) {
            // A search's text is a form parameter (Query Objects).
            _ if self == Route::Search => req.form("query=journey"),
            Some(body) => req.json(body),
            None => req,
        }
    }
}

/// A representation a document route names in its last segment: Retrieve a Single Object and Retrieve
/// All Objects let the format be `json` or `xml`, or be left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Json,
    Xml,
    Bare,
}

impl Format {
    /// The name used in case IDs.
    pub fn name(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Xml => "xml",
            Format::Bare => "no-suffix",
        }
    }

    fn suffix(self) -> &'static str {
        match self {
            Format::Json => ".json",
            Format::Xml => ".xml",
            Format::Bare => "",
        }
    }
}

impl Shape {
    /// The representations the docs give this shape (the data model's XML is its own shape).
    pub fn formats(self) -> &'static [Format] {
        match self {
            Shape::Collection | Shape::Object => &[Format::Json, Format::Xml, Format::Bare],
            Shape::DataModel => &[Format::Json, Format::Bare],
            _ => &[Format::Json],
        }
    }

    /// [`Shape::path`] in `format`: its `.json` suffix replaced.
    pub fn path_in(self, ctx: &Ctx, format: Format) -> String {
        let path = self.path(ctx);
        let (path, query) = path.split_once('?').map_or((path.as_str(), ""), |(p, q)| (p, q));
        let stem = path.strip_suffix(".json").unwrap_or(path);
        let query = if query.is_empty() { String::new() } else { format!("?{query}") };
        format!("{stem}{}{query}", format.suffix())
    }

    /// [`Shape::path`] with every literal of the template in upper case (`/OBJECTS/task.json`), the
    /// parameters and the `.json` suffix as they are: a spelling a case-insensitive router serves.
    pub fn path_upper(self, ctx: &Ctx) -> String {
        let mut out = ctx.base();
        for &part in self.parts() {
            out.push('/');
            match part {
                Part::Literal(text) => {
                    let (stem, suffix) = text.split_once('.').map_or((text, ""), |(s, x)| (s, x));
                    out.push_str(&stem.to_uppercase());
                    if !suffix.is_empty() {
                        out.push('.');
                        out.push_str(suffix);
                    }
                }
                Part::Param { name, suffix } => {
                    out.push_str(if name == "id" { &ctx.existing_id } else { &ctx.object_type });
                    out.push_str(suffix);
                }
            }
        }
        out + self.row().query
    }
}

#[cfg(test)]
mod route_tests;
