//! Category filters → server-side `$all` filters on stream names.

use kurrentdb::SubscriptionFilter;
use zakup_store::Filter;

use crate::names::Namespace;

/// What the server matches stream names against. Both forms exclude system streams (`$…`) and
/// the claim streams (`event_id/…`): neither starts with `<category>-`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamNameFilter {
    /// Some categories: `<namespace/><category>-`.
    Prefixes(Vec<String>),
    /// Every category: any name shaped like a Zakup stream id in this namespace.
    Regex(String),
}

pub fn stream_name_filter(filter: &Filter, namespace: &Namespace) -> StreamNameFilter {
    let ns = namespace.prefix();
    if filter.categories.is_empty() {
        // The namespace is a lower-case word followed by `/`: nothing to escape.
        StreamNameFilter::Regex(format!("^{ns}[a-z0-9_]+-."))
    } else {
        StreamNameFilter::Prefixes(
            filter
                .prefixes()
                .into_iter()
                .map(|p| format!("{ns}{p}"))
                .collect(),
        )
    }
}

impl From<StreamNameFilter> for SubscriptionFilter {
    fn from(filter: StreamNameFilter) -> Self {
        match filter {
            StreamNameFilter::Prefixes(prefixes) => prefixes
                .iter()
                .fold(SubscriptionFilter::on_stream_name(), |f, p| f.add_prefix(p)),
            StreamNameFilter::Regex(regex) => SubscriptionFilter::on_stream_name().regex(regex),
        }
    }
}

pub fn subscription_filter(filter: &Filter, namespace: &Namespace) -> SubscriptionFilter {
    stream_name_filter(filter, namespace).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_become_stream_name_prefixes() {
        let filter = Filter::categories(["announcement", "plan_item"]);
        assert_eq!(
            stream_name_filter(&filter, &Namespace::root()),
            StreamNameFilter::Prefixes(vec!["announcement-".into(), "plan_item-".into()])
        );
        assert_eq!(
            stream_name_filter(&filter, &Namespace::named("t7").unwrap()),
            StreamNameFilter::Prefixes(vec!["t7/announcement-".into(), "t7/plan_item-".into()])
        );
    }

    #[test]
    fn every_category_is_a_stream_id_shaped_regex() {
        assert_eq!(
            stream_name_filter(&Filter::all(), &Namespace::root()),
            StreamNameFilter::Regex("^[a-z0-9_]+-.".into())
        );
        assert_eq!(
            stream_name_filter(&Filter::all(), &Namespace::named("t7").unwrap()),
            StreamNameFilter::Regex("^t7/[a-z0-9_]+-.".into())
        );
    }

    #[test]
    fn the_client_filter_is_on_stream_names() {
        // The client's filter keeps its fields private; its Debug form is all there is to see.
        let shown = format!(
            "{:?}",
            subscription_filter(&Filter::categories(["announcement"]), &Namespace::root())
        );
        assert!(shown.contains("based_on_stream: true"), "{shown}");
        assert!(shown.contains("\"announcement-\""), "{shown}");
        let shown = format!(
            "{:?}",
            subscription_filter(&Filter::all(), &Namespace::root())
        );
        assert!(shown.contains("based_on_stream: true"), "{shown}");
        assert!(shown.contains("^[a-z0-9_]+-."), "{shown}");
    }
}
