//! The permission groups a token policy can grant, and what each one allows.

use serde::Serialize;

/// What a permission is about. Each area belongs to one resource scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    /// Zone settings and lifecycle (zone scope).
    Zone,
    /// DNS records (zone scope).
    Dns,
    /// Origin CA certificates (zone scope).
    Ssl,
    /// Account details and audit logs (account scope).
    AccountSettings,
    /// Workers scripts (account scope).
    Workers,
    /// Pages projects (account scope).
    Pages,
    /// The user's own details (user scope).
    UserDetails,
    /// Managing API tokens (user scope).
    ApiTokens,
    /// Account memberships (user scope).
    Memberships,
    /// Logs (Logpush jobs): the same group names exist at zone and at account level.
    Logs,
    /// Managing an account's own (account-owned) API tokens (account scope).
    AccountApiTokens,
}

impl Area {
    /// Every area.
    pub const ALL: [Area; 11] = [
        Area::Zone,
        Area::Dns,
        Area::Ssl,
        Area::AccountSettings,
        Area::Workers,
        Area::Pages,
        Area::UserDetails,
        Area::ApiTokens,
        Area::Memberships,
        Area::Logs,
        Area::AccountApiTokens,
    ];
}

/// Read or write; write implies read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Access {
    /// GET-style access.
    Read,
    /// Changes.
    Write,
}

/// A named bundle of permissions, as listed by `GET /user/tokens/permission_groups`.
#[derive(Debug, Serialize)]
pub struct PermissionGroup {
    /// Stable 32-hex id used in token policies.
    pub id: &'static str,
    /// Display name, also accepted in seed files instead of the id.
    pub name: &'static str,
    /// The console category.
    pub category: &'static str,
    /// The resource scope (`com.cloudflare.api.account.zone`, `...account`, `...user`).
    pub scopes: [&'static str; 1],
    #[serde(skip)]
    area: Area,
    #[serde(skip)]
    access: Access,
}

impl PermissionGroup {
    /// Whether this group belongs to the user scope (which account-owned tokens cannot be granted).
    pub fn is_user_level(&self) -> bool {
        self.scopes[0] == USER
    }

    /// Whether this group grants `access` to `area`.
    pub fn grants(&self, area: Area, access: Access) -> bool {
        self.area == area && self.access >= access
    }
}

const ZONE: &str = "com.cloudflare.api.account.zone";
const ACCOUNT: &str = "com.cloudflare.api.account";
const USER: &str = "com.cloudflare.api.user";

macro_rules! group {
    ($id:literal, $name:literal, $cat:literal, $scope:expr, $area:ident, $access:ident) => {
        PermissionGroup {
            id: $id,
            name: $name,
            category: $cat,
            scopes: [$scope],
            area: Area::$area,
            access: Access::$access,
        }
    };
}

/// Every permission group the emulator knows.
pub static GROUPS: &[PermissionGroup] = &[
    group!(
        "69c5b4a3464c28d21ee797902e8a0d15",
        "Zone Read",
        "dns_and_zones",
        ZONE,
        Zone,
        Read
    ),
    group!(
        "ef81d15ce5b50c4211f7f73ad92144d0",
        "Zone Write",
        "dns_and_zones",
        ZONE,
        Zone,
        Write
    ),
    group!(
        "3584d9f528ae687988dcfe7ed701558d",
        "DNS Read",
        "dns_and_zones",
        ZONE,
        Dns,
        Read
    ),
    group!(
        "dbe7589dc33d827c135931b17957d999",
        "DNS Write",
        "dns_and_zones",
        ZONE,
        Dns,
        Write
    ),
    group!(
        "73f10bd3a34679ce486b487d9781d4de",
        "SSL and Certificates Read",
        "app_security",
        ZONE,
        Ssl,
        Read
    ),
    group!(
        "de03b54dfbfa968f9e7d1ef2d89d7a85",
        "SSL and Certificates Write",
        "app_security",
        ZONE,
        Ssl,
        Write
    ),
    group!(
        "86c9f1a7c113154016c76c4387ecca06",
        "Account Settings Read",
        "account_and_billing",
        ACCOUNT,
        AccountSettings,
        Read
    ),
    group!(
        "d2314a2ef898a8a36e1a64e943ecaa68",
        "Account Settings Write",
        "account_and_billing",
        ACCOUNT,
        AccountSettings,
        Write
    ),
    group!(
        "ebe204a0dbf4dac980b10e7cebd158fc",
        "Workers Scripts Read",
        "developer_platform",
        ACCOUNT,
        Workers,
        Read
    ),
    group!(
        "3f47b1a58a71e111a37ccc4cb1b71c7d",
        "Workers Scripts Write",
        "developer_platform",
        ACCOUNT,
        Workers,
        Write
    ),
    group!(
        "8689913c2c52ebed488ffab3934d5e3b",
        "Pages Read",
        "developer_platform",
        ACCOUNT,
        Pages,
        Read
    ),
    group!(
        "df5e013c304337859804b83fdd3242ad",
        "Pages Write",
        "developer_platform",
        ACCOUNT,
        Pages,
        Write
    ),
    group!(
        "b5e188ab95982ecf252e7407fb561d02",
        "User Details Read",
        "account_and_billing",
        USER,
        UserDetails,
        Read
    ),
    group!(
        "968716a01eceed38b576fc93e302c0cc",
        "User Details Write",
        "account_and_billing",
        USER,
        UserDetails,
        Write
    ),
    group!(
        "6ff4c00ee1da8421a88d42ce7109d22b",
        "API Tokens Read",
        "account_and_billing",
        USER,
        ApiTokens,
        Read
    ),
    group!(
        "6bb21769cd9238876bd1e75a514aeba0",
        "API Tokens Write",
        "account_and_billing",
        USER,
        ApiTokens,
        Write
    ),
    group!(
        "35559d40b8bf4a94b0dd56c84ef32abb",
        "Memberships Read",
        "account_and_billing",
        USER,
        Memberships,
        Read
    ),
    // The real API has both a zone-level and an account-level "Logs Read" / "Logs Write": a name alone does not say
    // which one a policy means, the resource does.
    group!(
        "c4a30cd58c5d42619c86a3c36c441e2d",
        "Logs Read",
        "analytics_and_logs",
        ZONE,
        Logs,
        Read
    ),
    group!(
        "3e0b5820118e47f3922f7c989e673882",
        "Logs Write",
        "analytics_and_logs",
        ZONE,
        Logs,
        Write
    ),
    group!(
        "6a315a56f18441e59ed03352369ae956",
        "Logs Read",
        "analytics_and_logs",
        ACCOUNT,
        Logs,
        Read
    ),
    group!(
        "96163bd1b0784f62b3e44ed8c2ab1eb6",
        "Logs Write",
        "analytics_and_logs",
        ACCOUNT,
        Logs,
        Write
    ),
    group!(
        "0cf6473ad41449e7b7b743d14fc20c60",
        "Account API Tokens Read",
        "account_and_billing",
        ACCOUNT,
        AccountApiTokens,
        Read
    ),
    group!(
        "5bc3f8b21c554832afc660fa6ad5ad3b",
        "Account API Tokens Write",
        "account_and_billing",
        ACCOUNT,
        AccountApiTokens,
        Write
    ),
];

/// Finds a group by id, or by exact name (seed files may use either; a name shared by a zone-level and an
/// account-level group finds the zone-level one, an id is exact).
pub fn find(id_or_name: &str) -> Option<&'static PermissionGroup> {
    GROUPS
        .iter()
        .find(|g| g.id == id_or_name || g.name == id_or_name)
}
