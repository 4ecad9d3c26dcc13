//! journey-testkit: the machinery that tests the suite itself, kept out of the binary users install.
//!
//! [`faults`] wraps the reference in named deviations (the mutation score), [`delay`] puts it a fixed
//! latency away (the latency benchmark), [`padded`] pads every answer to one size (memory checks),
//! [`outage`] takes it down mid-run as a deploy does, [`inprocess`] drives the reference router without sockets, [`properties`] holds the proptest
//! strategies and their spec-derived classifiers, and [`fuzz`] turns fuzzer bytes into judged requests.
//! All of it judges through `journey_conformance::oracle`, exactly like a run against a real target.

pub mod delay;
pub mod faults;
pub mod fuzz;
pub mod inprocess;
pub mod outage;
pub mod padded;
pub mod properties;
