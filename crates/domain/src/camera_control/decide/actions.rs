//! The camera-control items of «Доступные действия» (spec 000-D §4.5.1 tables T1 and T2,
//! §4.6–4.8).

use super::cancellation::check_cancellation_open;
use super::execution::check_executable;
use crate::camera_control::command::AvailableAction;
use crate::camera_control::facts::{AnnouncementFacts, Stage};
use crate::camera_control::{CameraControl, Direction, ExecutionRoute, NoticeStatus};

impl CameraControl {
    /// The camera-control items of «Доступные действия» (spec §4.5.1 tables T1 and T2, §4.6–4.8):
    /// none while an unread notice blocks the organization.
    pub fn available_actions(&self, facts: &AnnouncementFacts) -> Vec<AvailableAction> {
        if self.is_blocking() || !facts.under_camera_control {
            return Vec::new();
        }
        let executable = |route| {
            self.notices.values().any(|n| {
                check_executable(n, route).is_ok()
                    && facts.lot(&n.plan_item_id).is_some_and(|l| !l.cancelled)
            })
        };
        let selected_for_cancellation = self.notices.values().any(|n| {
            n.status == NoticeStatus::InExecution && n.route == Some(ExecutionRoute::Cancellation)
        });
        let candidates = [
            (
                AvailableAction::ChangeDocumentation,
                self.check_documentation_change_open(facts).is_ok()
                    && executable(ExecutionRoute::DocumentationChange),
            ),
            (
                AvailableAction::PublishDiscussionProtocolWithoutExecution,
                self.check_publish_without_execution_open(facts).is_ok(),
            ),
            (
                AvailableAction::CancelByNotices,
                check_cancellation_open(facts).is_ok()
                    && (executable(ExecutionRoute::Cancellation) || selected_for_cancellation),
            ),
            (
                AvailableAction::RevisePpd,
                self.check_ppd_revision_open(facts).is_ok()
                    && executable(ExecutionRoute::PpdRevision),
            ),
            (
                AvailableAction::ContinueWithoutPpdRevision,
                facts.stage == Stage::DecidingPpdRevision,
            ),
            (
                AvailableAction::ReviseResults,
                facts.stage == Stage::DecidingNoticeExecution
                    && executable(ExecutionRoute::ResultsRevision),
            ),
            (
                AvailableAction::ContinueWithoutNoticeExecution,
                self.check_continue_without_notice_execution_open(facts)
                    .is_ok(),
            ),
        ];
        candidates
            .into_iter()
            .filter(|(_, available)| *available)
            .map(|(action, _)| action)
            .collect()
    }

    /// Direction-1 notices not executed replace the normal «Завершить обсуждение документации»
    /// with the actions of tables T1/T2 (L10984–10996, L11504–11510).
    pub fn replaces_discussion_completion(&self) -> bool {
        self.open_notices(Direction::First).next().is_some()
    }
}
