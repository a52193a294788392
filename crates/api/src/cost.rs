//! What a query may ask for, judged before anything runs (issue 26, defect 1): a cost that
//! multiplies by `first`/`last` and by list fields, a depth limit that spares introspection,
//! and a cap on aliases. A refused query costs a walk of its text, bounded by the budget.
//!
//! async-graphql's own limits count fields, not how many times they are resolved: 300 aliases
//! of `announcements(first: 100)` with nested lists passed them and returned 30,000 nodes.

use std::collections::HashSet;
use std::sync::Arc;

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery};
use async_graphql::parser::types::{
    ExecutableDocument, FragmentDefinition, OperationDefinition, Selection, SelectionSet,
};
use async_graphql::registry::{MetaType, MetaTypeName, Registry};
use async_graphql::{Name, Response, ServerResult, Value, Variables};

use crate::page::DEFAULT_PAGE;
use crate::refusal;

/// The budget of one operation, in resolved fields: a search page of 20 announcements with
/// their lots, or one announcement with all its parts, fits; 100 announcements with every
/// part of each do not.
pub const MAX_COST: u64 = 10_000;
/// Nesting of fields, not counting what lies under `__schema` and `__type`: the standard
/// introspection query nests `ofType` eight deep on its own.
pub const MAX_DEPTH: usize = 12;
/// Aliases in one document: enough to ask for a few variants of a list, too few to repeat a
/// costly field hundreds of times.
pub const MAX_ALIASES: usize = 30;
/// How many items a list field without `first`/`last` is assumed to hold: a page.
const LIST_FACTOR: u64 = DEFAULT_PAGE as u64;

/// The extension that applies the limits to every document, over HTTP and WebSocket alike.
pub struct Budget;

impl ExtensionFactory for Budget {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(Budget)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for Budget {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        check(&ctx.schema_env.registry, &document, variables)?;
        Ok(document)
    }
}

/// Refuses a document with too many aliases, or an operation too deep or too costly.
pub fn check(
    registry: &Registry,
    document: &ExecutableDocument,
    variables: &Variables,
) -> ServerResult<()> {
    let aliases = document
        .operations
        .iter()
        .map(|(_, op)| aliases(&op.node.selection_set.node))
        .chain(
            document
                .fragments
                .values()
                .map(|f| aliases(&f.node.selection_set.node)),
        )
        .sum::<usize>();
    if aliases > MAX_ALIASES {
        return Err(refuse(refusal::too_many_aliases(aliases, MAX_ALIASES)));
    }
    for (_, operation) in document.operations.iter() {
        let mut walk = Walk {
            registry,
            document,
            variables,
            cost: 0,
            fragments: HashSet::new(),
        };
        let root = root_type(registry, &operation.node);
        walk.selection_set(&operation.node.selection_set.node, root, 1, 0, false)?;
    }
    Ok(())
}

/// A refusal of the whole document, which no one place of it causes.
fn refuse(error: async_graphql::Error) -> async_graphql::ServerError {
    let mut error = error.into_server_error(async_graphql::Pos::default());
    error.locations.clear();
    error
}

fn aliases(set: &SelectionSet) -> usize {
    set.items
        .iter()
        .map(|s| match &s.node {
            Selection::Field(f) => {
                usize::from(f.node.alias.is_some()) + aliases(&f.node.selection_set.node)
            }
            Selection::InlineFragment(f) => aliases(&f.node.selection_set.node),
            Selection::FragmentSpread(_) => 0,
        })
        .sum()
}

fn root_type<'r>(registry: &'r Registry, operation: &OperationDefinition) -> Option<&'r MetaType> {
    use async_graphql::parser::types::OperationType;
    let name = match operation.ty {
        OperationType::Query => Some(registry.query_type.as_str()),
        OperationType::Mutation => registry.mutation_type.as_deref(),
        OperationType::Subscription => registry.subscription_type.as_deref(),
    };
    name.and_then(|n| registry.types.get(n))
}

struct Walk<'a> {
    registry: &'a Registry,
    document: &'a ExecutableDocument,
    variables: &'a Variables,
    cost: u64,
    /// The fragments being expanded: a cycle (refused by validation later) is not followed.
    fragments: HashSet<Name>,
}

impl<'a> Walk<'a> {
    /// Adds the cost of `set`, selected on `ty` (None when unknown: validation refuses that
    /// later) `times` times, at nesting `depth`.
    fn selection_set(
        &mut self,
        set: &'a SelectionSet,
        ty: Option<&'a MetaType>,
        times: u64,
        depth: usize,
        introspection: bool,
    ) -> ServerResult<()> {
        for item in &set.items {
            match &item.node {
                Selection::Field(field) => {
                    let field = &field.node;
                    let name = field.name.node.as_str();
                    let inside = introspection || name == "__schema" || name == "__type";
                    let depth = if inside { depth } else { depth + 1 };
                    if depth > MAX_DEPTH {
                        return Err(refuse(refusal::too_deep(MAX_DEPTH)));
                    }
                    self.spend(times)?;
                    let meta = ty.and_then(|t| t.field_by_name(name));
                    let child = meta.and_then(|m| {
                        self.registry
                            .types
                            .get(MetaTypeName::concrete_typename(&m.ty))
                    });
                    let factor = self.factor(field, ty, meta, inside);
                    let times = times.saturating_mul(factor);
                    self.selection_set(&field.selection_set.node, child, times, depth, inside)?;
                }
                Selection::InlineFragment(fragment) => {
                    let fragment = &fragment.node;
                    let on = fragment
                        .type_condition
                        .as_ref()
                        .and_then(|c| self.registry.types.get(c.node.on.node.as_str()))
                        .or(ty);
                    self.selection_set(
                        &fragment.selection_set.node,
                        on,
                        times,
                        depth,
                        introspection,
                    )?;
                }
                Selection::FragmentSpread(spread) => {
                    let name = &spread.node.fragment_name.node;
                    let Some(fragment) = self.document.fragments.get(name) else {
                        continue;
                    };
                    // Each expansion is work for this walk too: a tree of spreads is bounded
                    // by the budget like a tree of fields.
                    self.spend(times)?;
                    if !self.fragments.insert(name.clone()) {
                        continue;
                    }
                    self.fragment(&fragment.node, ty, times, depth, introspection)?;
                    self.fragments.remove(name);
                }
            }
        }
        Ok(())
    }

    fn fragment(
        &mut self,
        fragment: &'a FragmentDefinition,
        ty: Option<&'a MetaType>,
        times: u64,
        depth: usize,
        introspection: bool,
    ) -> ServerResult<()> {
        let on = self
            .registry
            .types
            .get(fragment.type_condition.node.on.node.as_str())
            .or(ty);
        self.selection_set(
            &fragment.selection_set.node,
            on,
            times,
            depth,
            introspection,
        )
    }

    fn spend(&mut self, times: u64) -> ServerResult<()> {
        self.cost = self.cost.saturating_add(times);
        if self.cost > MAX_COST {
            return Err(refuse(refusal::too_costly(MAX_COST)));
        }
        Ok(())
    }

    /// How many times the selection of `field` is resolved per resolution of the field:
    /// `first`/`last` of a connection, a page for a plain list, once otherwise. Introspection
    /// is answered from memory, so its lists (types, fields, arguments) count once.
    fn factor(
        &self,
        field: &async_graphql::parser::types::Field,
        parent: Option<&MetaType>,
        meta: Option<&async_graphql::registry::MetaField>,
        introspection: bool,
    ) -> u64 {
        if introspection {
            return 1;
        }
        let page = ["first", "last"]
            .iter()
            .filter_map(|a| field.get_argument(a))
            .filter_map(|v| {
                let value = v.node.clone();
                Self::number(
                    value
                        .into_const_with(|name| self.variables.get(&name).cloned().ok_or(()))
                        .ok()?,
                )
            })
            .max();
        if let Some(n) = page {
            return n.max(1);
        }
        let Some(meta) = meta else {
            return 1;
        };
        if meta.args.contains_key("first") || meta.args.contains_key("last") {
            return DEFAULT_PAGE as u64;
        }
        // The edges of a connection are already counted by its `first`.
        let in_connection = parent.is_some_and(|p| p.name().ends_with("Connection"));
        if MetaTypeName::create(&meta.ty).is_list() && !in_connection {
            return LIST_FACTOR;
        }
        1
    }

    /// An integer argument, given inline or as a variable; anything else is refused later by
    /// validation, and a page too large by the resolver (which allows at most 100).
    fn number(value: Value) -> Option<u64> {
        match value {
            // Past `Int`'s range it is no `Int`: validation refuses it with `invalid_input`.
            Value::Number(n) => n.as_u64().filter(|n| *n <= i32::MAX as u64),
            _ => None,
        }
    }
}

/// The largest answer of `POST /graphql`, in bytes of JSON: a client asking for more is told to
/// ask for less, instead of the server building and sending megabytes (8.4 MB in the probe).
pub const MAX_RESPONSE_BYTES: usize = 4 * 1024 * 1024;

/// Replaces a response whose JSON would exceed `MAX_RESPONSE_BYTES` with the refusal
/// `response_too_large`. Counting stops at the limit, so an oversized answer is not written out.
pub fn limit_size(response: Response) -> Response {
    let mut counter = Counter(0);
    if serde_json::to_writer(&mut counter, &response).is_ok() {
        return response;
    }
    Response::from_errors(vec![refuse(refusal::response_too_large(
        MAX_RESPONSE_BYTES,
    ))])
}

struct Counter(usize);

impl std::io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        if self.0 > MAX_RESPONSE_BYTES {
            return Err(std::io::Error::other("response too large"));
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
