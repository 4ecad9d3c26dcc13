//! `formats`: every documented read in every representation the route table gives it (Retrieve a Single
//! Object, Retrieve All Objects: the format is `json` or `xml`, or left out). Each must succeed, and an
//! `.xml` answer must be an XML document. The `.json` reads are the `methods` family's controls, and the
//! list's and data model's other representations the `clients` family's (`clients/format/*`).

use super::case;
use crate::declare::case::{Case, Family, Requires};
use crate::declare::ctx::Ctx;
use crate::declare::expect::Expect;
use crate::declare::routes::{Format, Route};
use crate::declare::scenario::{After, Shows};
use crate::declare::spec::client_clauses::FORMAT_SUFFIX;

/// The representations `clients/format/*` already requests (the vendor's db client reads them).
const COVERED: [(Route, Format); 3] =
    [(Route::DataModel, Format::Bare), (Route::List, Format::Xml), (Route::List, Format::Bare)];

/// Every case of the family.
pub fn cases(ctx: &Ctx) -> Vec<Case> {
    let reads = Route::ALL.into_iter().filter(|r| r.method() == "GET");
    let mut out = Vec::new();
    for route in reads {
        let shape = route.shape();
        for &format in shape.formats().iter().filter(|f| **f != Format::Json && !COVERED.contains(&(route, **f))) {
            let req = shape.request("GET", shape.path_in(ctx, format));
            let id = format!("formats/{}/{}", route.name(), format.name());
            let what = format!("GET {} as {}", route.name(), format.name());
            let mut c = case(Family::Formats, id, what, FORMAT_SUFFIX, req, Expect::success());
            if format == Format::Xml {
                c.scenario.after.push(After::Shows(Shows::Xml));
            }
            if route == Route::Get {
                c.requires = Requires::ExistingObject;
            }
            out.push(c);
        }
    }
    out
}
