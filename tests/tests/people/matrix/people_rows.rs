//! Rows of the matrix for accounts and sign-in (`auth.rs`, `account.rs`), the staff's routes
//! (`staff.rs`) and administration (`admin.rs`).

use serde_json::json;

#[allow(
    clippy::wildcard_imports,
    reason = "the rows use the table's helpers and callers"
)]
use super::*;

pub(super) fn rows() -> Vec<Row> {
    vec![
        // ----- auth.rs
        row("GET", "/api/session", "", all("allow 200"), |_, c| {
            c.get("/api/session")
        }),
        row("POST", "/api/auth/email", "", all("allow 202"), |x, c| {
            let e = x.new_email();
            c.post_json("/api/auth/email", &json!({ "email": e }))
        }),
        row(
            "POST",
            "/api/auth/email/verify",
            "code of a new account",
            all("allow 200"),
            |x, c| {
                let e = x.new_email();
                let mail = super::super::request_mail(&x.sb, c, &e);
                c.post_json(
                    "/api/auth/email/verify",
                    &json!({ "email": e, "code": mail["code"] }),
                )
            },
        )
        .fresh(),
        row(
            "POST",
            "/api/auth/password",
            "a staff account",
            all("allow 200"),
            |_, c| {
                c.post_json(
                    "/api/auth/password",
                    &json!({ "email": SPARE, "password": PASSWORD }),
                )
            },
        )
        .fresh(),
        row(
            "POST",
            "/api/auth/device",
            "",
            {
                let mut e = all("conflict 409");
                e[ANON] = "allow 200";
                e
            },
            |_, c| c.send("POST", "/api/auth/device", &[], None),
        )
        .fresh(),
        row("POST", "/api/auth/logout", "", all("allow 204"), |_, c| {
            c.send("POST", "/api/auth/logout", &[], None)
        })
        .fresh(),
        row(
            "POST",
            "/api/auth/logout-all",
            "",
            account("allow 204"),
            |_, c| c.send("POST", "/api/auth/logout-all", &[], None),
        )
        .fresh(),
        // ----- account.rs
        row("GET", "/api/account", "", account("allow 200"), |_, c| {
            c.get("/api/account")
        }),
        row(
            "POST",
            "/api/account/consents",
            "research",
            account("allow 201"),
            |_, c| {
                c.post_json(
                    "/api/account/consents",
                    &json!({ "purpose": "research", "given": true }),
                )
            },
        ),
        row(
            "GET",
            "/api/account/consents/history",
            "",
            account("allow 200"),
            |_, c| c.get("/api/account/consents/history"),
        ),
        row(
            "POST",
            "/api/account/password",
            "current password (staff)",
            {
                let mut e = account("allow 204");
                e[RESIDENT] = "deny 401";
                e[VERIFIED] = "deny 401";
                e
            },
            |_, c| {
                c.post_json(
                    "/api/account/password",
                    &json!({ "current": PASSWORD, "new": PASSWORD }),
                )
            },
        )
        // Staff accounts with a password: the partner's too, and the scoped admin's, though its
        // grant is void.
        .partner("allow 204")
        .scoped_admin("allow 204"),
        row(
            "GET",
            "/api/my/addresses",
            "",
            account("allow 200"),
            |_, c| c.get("/api/my/addresses"),
        ),
        row(
            "GET",
            "/api/my/addresses/{id}",
            "the resident's verified home",
            own_address("allow 200"),
            |x, c| c.get(&format!("/api/my/addresses/{}", x.home)),
        ),
        row(
            "PUT",
            "/api/my/addresses/{id}/opt-outs/{purpose}",
            "research",
            own_address("allow 204"),
            |x, c| {
                c.put(
                    &format!("/api/my/addresses/{}/opt-outs/research", x.home),
                    None,
                )
            },
        ),
        row(
            "DELETE",
            "/api/my/addresses/{id}/opt-outs/{purpose}",
            "research",
            own_address("allow 204"),
            |x, c| c.delete(&format!("/api/my/addresses/{}/opt-outs/research", x.home)),
        ),
        row(
            "POST",
            "/api/my/addresses/{id}/contests",
            "an observation about the home",
            own_address("allow 201"),
            |x, c| {
                c.post_json(
                    &format!("/api/my/addresses/{}/contests", x.home),
                    &json!({ "observation_id": x.obs_private, "reason": "Er liggen geen panelen op ons dak." }),
                )
            },
        ),
        // ----- staff.rs
        row("GET", "/api/areas", "", all("allow 200"), |_, c| {
            c.get("/api/areas")
        }),
        row(
            "POST",
            "/api/letters",
            "buurt of WK01, csv",
            staff(D, [D, D, "allow 200", D, D, "allow 200"]),
            |x, c| {
                let r = c.post_json(
                    "/api/letters",
                    &json!({ "area": super::super::BUURT, "format": "csv" }),
                );
                if r.status == 200 {
                    // New letters replace the codes of the old ones.
                    x.codes = parse_letters(&r).into_iter().map(|(_, c)| c).collect();
                }
                r
            },
        ),
        row(
            "GET",
            "/api/opt-outs",
            "buurt of WK01",
            staff(D, [D, "allow 200", "allow 200", D, D, "allow 200"]),
            |_, c| c.get(&format!("/api/opt-outs?area={}", super::super::BUURT)),
        ),
        row(
            "GET",
            "/api/opt-outs",
            "the whole gemeente (wider than WK01)",
            admin_only("allow 200"),
            |_, c| c.get(&format!("/api/opt-outs?area={GEMEENTE}")),
        ),
        row(
            "GET",
            "/api/aggregates/observations",
            "level=buurt",
            all("aggregate 200"),
            |_, c| c.get("/api/aggregates/observations?type=solar_panels&level=buurt"),
        )
        .classify(aggregate),
        row(
            "GET",
            "/api/aggregates/observations",
            "level=grid, area=WK01",
            all("aggregate 200"),
            |_, c| {
                c.get(&format!(
                    "/api/aggregates/observations?type=solar_panels&level=grid&area={WIJK}"
                ))
            },
        )
        .classify(aggregate),
        row(
            "GET",
            "/api/observations/{id}/reporter",
            "in WK01, no consent",
            admin_only("allow 200"),
            |x, c| c.get(&format!("/api/observations/{}/reporter", x.obs_private)),
        )
        .classify(identity),
        row(
            "GET",
            "/api/observations/{id}/reporter",
            "in WK01, consent to contact",
            staff(D, [D, D, "allow 200", D, D, "allow 200"]),
            |x, c| c.get(&format!("/api/observations/{}/reporter", x.obs_consented)),
        )
        .classify(identity),
        row(
            "GET",
            "/api/observations/{id}/reporter",
            "no such observation",
            admin_only("hidden 404"),
            |_, c| c.get("/api/observations/987654321/reporter"),
        ),
        // ----- exports.rs: a type about homes, in WK01 (the admin and WK01's wijkondernemer)
        row(
            "GET",
            "/api/exports/observations.csv",
            "solar_panels in WK01",
            staff(D, [D, D, "allow 200", D, D, "allow 200"]),
            |_, c| {
                c.get(&format!(
                    "/api/exports/observations.csv?type=solar_panels&area={WIJK}"
                ))
            },
        ),
        row(
            "GET",
            "/api/exports/observations.geojson",
            "solar_panels in WK01",
            staff(D, [D, D, "allow 200", D, D, "allow 200"]),
            |_, c| {
                c.get(&format!(
                    "/api/exports/observations.geojson?type=solar_panels&area={WIJK}"
                ))
            },
        ),
        row(
            "GET",
            "/api/exports/observations.gpkg",
            "solar_panels in WK01",
            staff(D, [D, D, "allow 200", D, D, "allow 200"]),
            |_, c| {
                c.get(&format!(
                    "/api/exports/observations.gpkg?type=solar_panels&area={WIJK}"
                ))
            },
        ),
        // ----- admin.rs
        row(
            "GET",
            "/api/admin/users",
            "",
            admin_only("allow 200"),
            |_, c| c.get("/api/admin/users"),
        ),
        row(
            "POST",
            "/api/admin/users",
            "",
            admin_only("allow 201"),
            |x, c| {
                let e = x.new_email();
                c.post_json(
                    "/api/admin/users",
                    &json!({ "email": e, "role": "volunteer", "scope": WIJK, "password": "a long enough password" }),
                )
            },
        ),
        row(
            "PUT",
            "/api/admin/users/{id}/roles",
            "",
            admin_only("allow 200"),
            |x, c| {
                c.put(
                    &format!("/api/admin/users/{}/roles", x.dummy),
                    Some(&json!([{ "role": "volunteer", "scope": WIJK }])),
                )
            },
        ),
        // After the roles row: the dummy account holds a staff role now.
        row(
            "POST",
            "/api/admin/users/{id}/password-link",
            "a staff account",
            admin_only("allow 202"),
            |x, c| {
                c.send(
                    "POST",
                    &format!("/api/admin/users/{}/password-link", x.dummy),
                    &[],
                    None,
                )
            },
        ),
        row(
            "POST",
            "/api/auth/password-link",
            "a link an admin had mailed",
            all("allow 204"),
            |x, c| {
                let mut admin = x.fresh(9);
                let r = admin.send(
                    "POST",
                    &format!("/api/admin/users/{}/password-link", x.dummy),
                    &[],
                    None,
                );
                assert_eq!(r.status, 202, "{}", r.text());
                let mail = x.sb.last_mail(DUMMY).expect("the link was mailed");
                let link = mail["link"].as_str().expect("the mail has a link");
                let token = link.split("#wachtwoord=").nth(1).expect("a password link");
                c.post_json(
                    "/api/auth/password-link",
                    &json!({ "token": token, "password": PASSWORD }),
                )
            },
        ),
        row(
            "PATCH",
            "/api/admin/users/{id}",
            "",
            admin_only("allow 200"),
            |x, c| {
                c.patch_json(
                    &format!("/api/admin/users/{}", x.dummy),
                    &json!({ "disabled": false }),
                )
            },
        ),
        row(
            "GET",
            "/api/admin/custom-areas",
            "",
            admin_only("allow 200"),
            |_, c| c.get("/api/admin/custom-areas"),
        ),
        row(
            "POST",
            "/api/admin/custom-areas",
            "",
            admin_only("allow 201"),
            |x, c| {
                x.n += 1;
                c.post_json(
                    "/api/admin/custom-areas",
                    &json!({ "name": format!("Plein {}", x.n), "geometry": {
                        "type": "Polygon",
                        "coordinates": [[[5.0, 52.0], [5.01, 52.0], [5.01, 52.01], [5.0, 52.0]]]
                    }}),
                )
            },
        ),
        row(
            "GET",
            "/api/admin/audit",
            "",
            admin_only("allow 200"),
            |_, c| c.get("/api/admin/audit?limit=5"),
        ),
        row(
            "GET",
            "/api/admin/retention",
            "",
            admin_only("allow 200"),
            |_, c| c.get("/api/admin/retention"),
        ),
        row(
            "POST",
            "/api/admin/retention/run",
            "",
            admin_only("allow 200"),
            |_, c| c.send("POST", "/api/admin/retention/run", &[], None),
        ),
    ]
}

/// Rows that change the callers' accounts (a second address, TOTP on): they run last.
pub(super) fn last_rows() -> Vec<Row> {
    vec![
        // ----- last: these change the callers' accounts (a second address, TOTP on)
        row(
            "POST",
            "/api/my/addresses",
            "an unused letter code",
            account("allow 201"),
            |x, c| {
                let code = x.codes.pop().expect("letter codes left");
                c.post_json("/api/my/addresses", &json!({ "code": code }))
            },
        ),
        row(
            "POST",
            "/api/account/totp",
            "with the password (staff; residents have none)",
            account("allow 200"),
            |x, c| {
                let staff = c.session()["user"]["roles"]
                    .as_array()
                    .is_some_and(|roles| roles.iter().any(|r| r["role"] != "resident"));
                let body = if staff {
                    json!({ "password": PASSWORD })
                } else {
                    json!({})
                };
                let r = c.post_json("/api/account/totp", &body);
                if r.status == 200
                    && let Some(cookie) = c.cookie.clone()
                {
                    let secret = r.json()["secret"].as_str().unwrap().to_owned();
                    x.totp.insert(cookie, secret);
                }
                r
            },
        ),
        row(
            "POST",
            "/api/account/totp/confirm",
            "the current code",
            account("allow 204"),
            |x, c| {
                let secret = c
                    .cookie
                    .as_ref()
                    .and_then(|k| x.totp.get(k))
                    .cloned()
                    .unwrap_or_else(|| "GEZDGNBVGY3TQOJQ".into());
                let code = totp(&secret, super::super::now() / 30);
                c.post_json("/api/account/totp/confirm", &json!({ "code": code }))
            },
        ),
    ]
}
