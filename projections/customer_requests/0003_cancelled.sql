-- A request whose lot was cancelled shows `cancelled` (spec 000-D §2.3, L12131–12135; decision
-- 0608). No column changes: a new migration rebuilds the read model, so that the requests
-- cancelled before are shown so too.
COMMENT ON COLUMN customer_requests.state IS
    'requested | returned | reserved | procurement_held | procurement_failed | under_appeal | cancelled';
