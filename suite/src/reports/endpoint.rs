//! Which route a request addresses, as a matrix row: reports group cases by it, so a reader sees at a
//! glance which endpoint mishandles which kind of error.

/// The path templates of spec §1 below the account, each with its documented methods.
const TEMPLATES: [(&str, &[&str]); 5] = [
    ("/datamodel.json", &["GET"]),
    ("/objects/{type}.json", &["GET", "POST"]),
    ("/objects/{type}/{id}.json", &["GET", "PATCH", "PUT", "DELETE"]),
    ("/oplog.json", &["GET"]),
    ("/batch.json", &["POST"]),
];

/// The row of requests whose path matches no route shape.
pub const NON_ROUTE: &str = "non-route paths";
const WRONG_METHOD: &str = "other methods on ";

/// The matrix row of a request: `GET /datamodel.json`, `other methods on /batch.json`, or [`NON_ROUTE`].
pub fn classify(method: &str, path: &str, prefix: &str) -> String {
    let Some(template) = template_of(path, prefix) else { return NON_ROUTE.to_string() };
    let documented =
        TEMPLATES.iter().find(|(t, _)| *t == template).is_some_and(|(_, methods)| methods.contains(&method));
    if documented {
        format!("{method} {template}")
    } else {
        format!("{WRONG_METHOD}{template}")
    }
}

/// The route shape of a path below `{prefix}/api/v4/{account}`, ignoring the query.
fn template_of(path: &str, prefix: &str) -> Option<&'static str> {
    let path = path.split_once('?').map_or(path, |(p, _)| p);
    let rest = path.strip_prefix(prefix)?.strip_prefix("/api/v4/")?;
    let (account, rest) = rest.split_once('/')?;
    if account.is_empty() {
        return None;
    }
    let segments: Vec<&str> = rest.split('/').collect();
    match segments.as_slice() {
        ["datamodel.json"] => Some(TEMPLATES[0].0),
        ["objects", ty] if json_segment(ty) => Some(TEMPLATES[1].0),
        ["objects", ty, id] if !ty.is_empty() && json_segment(id) => Some(TEMPLATES[2].0),
        ["oplog.json"] => Some(TEMPLATES[3].0),
        ["batch.json"] => Some(TEMPLATES[4].0),
        _ => None,
    }
}

fn json_segment(s: &str) -> bool {
    s.len() > ".json".len() && s.ends_with(".json")
}

/// Sort key of a row: documented routes in spec order, then wrong methods per template, then non-routes.
pub fn rank(row: &str) -> usize {
    let mut index = 0;
    for (template, methods) in TEMPLATES {
        for method in methods {
            if row == format!("{method} {template}") {
                return index;
            }
            index += 1;
        }
    }
    for (template, _) in TEMPLATES {
        if row == format!("{WRONG_METHOD}{template}") {
            return index;
        }
        index += 1;
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_follow_the_route_table() {
        let p = "/gw";
        assert_eq!(classify("GET", "/gw/api/v4/a/datamodel.json", p), "GET /datamodel.json");
        assert_eq!(classify("POST", "/gw/api/v4/a/objects/task.json", p), "POST /objects/{type}.json");
        assert_eq!(classify("DELETE", "/gw/api/v4/a/objects/task.json", p), "other methods on /objects/{type}.json");
        assert_eq!(classify("PATCH", "/gw/api/v4/a/objects/task/%7Bx%7D.json", p), "PATCH /objects/{type}/{id}.json");
        assert_eq!(classify("GET", "/gw/api/v4/a/oplog.json?start=0", p), "GET /oplog.json");
        assert_eq!(classify("GET", "/gw/api/v4/a/objects/task/x/y.json", p), NON_ROUTE);
        assert_eq!(classify("GET", "/gw/api/v3/a/datamodel.json", p), NON_ROUTE);
        assert_eq!(classify("GET", "/api/v4/a/datamodel.json", p), NON_ROUTE);
        assert_eq!(classify("GET", "/gw/api/v4/a/objects/.json", p), NON_ROUTE);
    }

    #[test]
    fn ranks_put_routes_first_and_non_routes_last() {
        assert_eq!(rank("GET /datamodel.json"), 0);
        assert!(rank("POST /batch.json") < rank("other methods on /datamodel.json"));
        assert!(rank("other methods on /batch.json") < rank(NON_ROUTE));
    }
}
