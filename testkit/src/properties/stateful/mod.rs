//! The stateful property: sequences of object, batch, list and oplog requests against one target,
//! each answer judged by the oracle against what a small model of the documented state semantics
//! predicts, and every read compared with the model's state. A failing sequence shrinks to the
//! fewest steps and prints as numbered requests with `curl` repros; minimised ones can be kept as
//! regression files.

pub mod exec;
pub mod model;
mod reads;
pub mod regression;
pub mod runner;
pub mod schema;
pub mod steps;

use journey_conformance::run::session::Session;

/// The schema a session's target gives the property: its object type, marker field and data model;
/// `None` when the type has no text field to mark objects with.
pub fn schema_of(session: &Session) -> Option<schema::Schema> {
    let ctx = &session.ctx;
    schema::Schema::discover(&ctx.model, &ctx.object_type, ctx.marker_field()?)
}
