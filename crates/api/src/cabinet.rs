//! The supplier's cabinet (issue 24 item 1): its own applications across announcements, with
//! their status, the commission's decision, the reasons given and its right to supplement per
//! lot, and its own discussion requests with their answers. Built from the read models: the
//! applications tables and the announcements' screen views.

use std::collections::HashMap;

use async_graphql::connection::Connection;
use async_graphql::{Context, Object, Result, SimpleObject};
use sqlx::Row;
use uuid::Uuid;
use zakup_domain::status::AnnouncementStatus;
use zakup_domain::voting::{Article6Verdict, Ballot, DocumentationVerdict, QualificationVerdict};
use zakup_projections::views::ScreenView;

use crate::application::{self, Application};
use crate::page::{app, connection, reach, viewer_org};
use crate::refusal;
use crate::screen::DiscussionRequest;
use crate::term::Term;

#[derive(Default)]
pub struct CabinetQuery;

#[Object]
impl CabinetQuery {
    /// «Мои заявки»: the viewer organisation's applications across announcements, newest first.
    async fn my_applications(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        min_position: Option<String>,
    ) -> Result<Connection<usize, MyApplication>> {
        reach(ctx, "announcement", min_position).await?;
        let org = supplier(ctx)?;
        let pool = &app(ctx).pool;
        connection(after, first, |offset, limit| async move {
            let rows = sqlx::query(
                "SELECT a.announcement_id, a.application_id, n.number, n.name_ru, n.status
                   FROM rm.applications a JOIN rm.announcements n USING (announcement_id)
                  WHERE a.supplier_bin = $1 AND NOT n.deleted
                  ORDER BY a.submitted_at DESC, a.application_id OFFSET $2 LIMIT $3",
            )
            .bind(&org)
            .bind(offset)
            .bind(limit)
            .fetch_all(pool)
            .await
            .map_err(refusal::read_models)?;
            let ids: Vec<Uuid> = rows
                .iter()
                .map(|r| r.try_get("announcement_id"))
                .collect::<Result<_, _>>()
                .map_err(refusal::read_models)?;
            let screens = screens(pool, &ids).await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                let get = |c: &str| r.try_get::<String, _>(c).map_err(refusal::read_models);
                let announcement_id: Uuid =
                    r.try_get("announcement_id").map_err(refusal::read_models)?;
                let application_id: Uuid =
                    r.try_get("application_id").map_err(refusal::read_models)?;
                let status = get("status")?;
                let Some(application) =
                    application::of_announcement(pool, announcement_id, Some(&org))
                        .await?
                        .into_iter()
                        .find(|a| a.application_id == application_id)
                else {
                    continue;
                };
                let supplementing =
                    status == AnnouncementStatus::PublishedSupplementingApplications.id();
                let lots = application
                    .offers
                    .iter()
                    .map(|o| {
                        let decision = o.decision.as_ref().map(|d| d.id.as_str());
                        let rejected =
                            matches!(decision, Some("rejected" | "rejected_no_resubmission"));
                        MyLot {
                            plan_item_id: o.plan_item_id.clone(),
                            decision: o.decision.clone(),
                            rejection_reasons: if rejected {
                                screens.get(&announcement_id).map_or_else(Vec::new, |s| {
                                    reasons(s, application_id, &o.plan_item_id)
                                })
                            } else {
                                Vec::new()
                            },
                            // Only a rejection with the right of resubmission may be
                            // supplemented, once, in «Опубликовано (дополнение заявок)» (§7.5).
                            can_supplement: supplementing
                                && decision == Some("rejected")
                                && !o.supplemented,
                        }
                    })
                    .collect();
                out.push(MyApplication {
                    announcement_id,
                    announcement_number: get("number")?,
                    announcement_name_ru: get("name_ru")?,
                    announcement_status: Term::stored::<AnnouncementStatus>(&status),
                    application,
                    lots,
                });
            }
            Ok(out)
        })
        .await
    }

    /// The viewer organisation's discussion requests across announcements, with their answers.
    async fn my_discussion_requests(
        &self,
        ctx: &Context<'_>,
        min_position: Option<String>,
    ) -> Result<Vec<MyDiscussionRequest>> {
        reach(ctx, "announcement", min_position).await?;
        let org = supplier(ctx)?;
        let rows = sqlx::query(
            "SELECT s.announcement_id, n.number, s.screen
               FROM rm.announcement_screens s JOIN rm.announcements n USING (announcement_id)
              WHERE NOT n.deleted
                AND s.screen->'discussion_requests'
                    @> jsonb_build_array(jsonb_build_object('supplier_bin', $1::text))
              ORDER BY n.drafted_at DESC, s.announcement_id",
        )
        .bind(&org)
        .fetch_all(&app(ctx).pool)
        .await
        .map_err(refusal::read_models)?;
        let mut out = Vec::new();
        for r in &rows {
            let announcement_id: Uuid =
                r.try_get("announcement_id").map_err(refusal::read_models)?;
            let number: String = r.try_get("number").map_err(refusal::read_models)?;
            let screen: serde_json::Value = r.try_get("screen").map_err(refusal::read_models)?;
            let view = ScreenView::from_json(&screen)
                .map_err(|e| refusal::read_models(sqlx::Error::Decode(Box::new(e))))?;
            out.extend(
                view.discussion
                    .requests
                    .into_iter()
                    .filter(|q| q.supplier_bin.to_string() == org)
                    .map(|q| MyDiscussionRequest {
                        announcement_id,
                        announcement_number: number.clone(),
                        request: q.into(),
                    }),
            );
        }
        Ok(out)
    }
}

/// The cabinet is a supplier organisation's.
fn supplier(ctx: &Context<'_>) -> Result<String> {
    viewer_org(ctx)?.ok_or_else(|| refusal::unauthenticated("no bearer token"))
}

#[derive(SimpleObject, Debug, Clone)]
pub struct MyApplication {
    pub announcement_id: Uuid,
    pub announcement_number: String,
    pub announcement_name_ru: String,
    pub announcement_status: Term,
    pub application: Application,
    /// Per lot: the decision, the reasons given and whether it may be supplemented now.
    pub lots: Vec<MyLot>,
}

#[derive(SimpleObject, Debug, Clone)]
pub struct MyLot {
    pub plan_item_id: String,
    /// The commission's final decision, once voting is completed.
    pub decision: Option<Term>,
    /// The reasons the members gave for rejecting the application on this lot (section A's
    /// and the lot's), each once; empty unless it was rejected.
    pub rejection_reasons: Vec<String>,
    /// The right to supplement this lot now (rejected with the right of resubmission, in the
    /// supplement period, not yet supplemented).
    pub can_supplement: bool,
}

#[derive(SimpleObject, Debug, Clone)]
pub struct MyDiscussionRequest {
    pub announcement_id: Uuid,
    pub announcement_number: String,
    pub request: DiscussionRequest,
}

async fn screens(pool: &sqlx::PgPool, ids: &[Uuid]) -> Result<HashMap<Uuid, ScreenView>> {
    let rows: Vec<(Uuid, serde_json::Value)> = sqlx::query_as(
        "SELECT announcement_id, screen FROM rm.announcement_screens WHERE announcement_id = ANY($1)",
    )
    .bind(ids)
    .fetch_all(pool)
    .await
    .map_err(refusal::read_models)?;
    rows.into_iter()
        .map(|(id, screen)| {
            ScreenView::from_json(&screen)
                .map(|v| (id, v))
                .map_err(|e| refusal::read_models(sqlx::Error::Decode(Box::new(e))))
        })
        .collect()
}

/// The reasons of the ballots that rejected `application` on `lot`, in ballot order, each once.
fn reasons(screen: &ScreenView, application: Uuid, lot: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let ballots = screen
        .review
        .ballots
        .iter()
        .filter(|(app, _, _)| app.0 == application)
        .map(|(_, _, b)| b);
    for ballot in ballots {
        for reason in ballot_reasons(ballot, lot) {
            if !out.contains(&reason) {
                out.push(reason);
            }
        }
    }
    out
}

fn ballot_reasons(ballot: &Ballot, lot: &str) -> Vec<String> {
    let article6 = |v: &Article6Verdict| match v {
        Article6Verdict::Admitted => None,
        Article6Verdict::RejectedNoResubmission { reason, .. } => Some(reason.clone()),
    };
    let mut out: Vec<String> = article6(&ballot.common_article6).into_iter().collect();
    for l in ballot.lots.iter().filter(|l| l.plan_item_id.0 == lot) {
        if let DocumentationVerdict::Rejected { reason, .. } = &l.documentation {
            out.push(reason.clone());
        }
        if let QualificationVerdict::Rejected { reason, .. } = &l.qualification {
            out.push(reason.clone());
        }
        out.extend(article6(&l.article6));
    }
    out
}
