//! The announcement as the engine runs it: the stream category `announcement` and its event set
//! (`event.rs`), bound by the kernel's [`Decider`].

use crate::actor::Context;
use crate::announcement::{Announcement, AnnouncementCommand, AnnouncementEvent};
use crate::error::DomainError;
use crate::kernel::Decider;
pub use crate::kernel::event::DecodeError;

impl Decider for Announcement {
    const CATEGORY: &'static str = "announcement";
    type Command = AnnouncementCommand;
    type Event = AnnouncementEvent;

    fn initial() -> Self {
        Announcement::default()
    }

    fn decide(
        &self,
        command: AnnouncementCommand,
        ctx: &Context,
    ) -> Result<Vec<AnnouncementEvent>, DomainError> {
        Announcement::decide(self, command, ctx)
    }

    fn evolve(&mut self, event: &AnnouncementEvent) {
        self.apply(event);
    }
}
