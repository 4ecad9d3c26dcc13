//! End-to-end checks of the error contract through the router (oneshot) and over loopback TCP.

mod auth;
mod batch;
mod bodies;
mod client;
mod client_shapes;
mod db_client;
mod formats;
mod loopback;
mod objects;
mod rate_limit;
mod reads;
mod routes;
mod search;
