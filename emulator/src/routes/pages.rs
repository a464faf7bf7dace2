//! Pages projects: `/accounts/{account_id}/pages/projects[/{project_name}]` (list, create, get, edit, delete).

use serde_json::Value;

use super::{unknown_object, Result};
use crate::ctx::Ctx;
use crate::envelope::{ApiError, Reply};
use crate::paging::{Bounds, Page};
use crate::permissions::{Access, Area};
use crate::state::resources::PagesProject;
use crate::state::token::Target;
use crate::state::State;
use crate::{ids, time};

const BOUNDS: Bounds = Bounds {
    default: 10,
    min: 1,
    max: 100,
};

/// The account's Pages projects; a token needs Pages Read on the account.
pub fn list(ctx: &Ctx, state: &State) -> Result {
    let account = ctx.seg(1);
    if !state.accounts.contains_key(account) {
        return Err(unknown_object(&format!(
            "/accounts/{account}/pages/projects"
        )));
    }
    ctx.principal
        .require(state, Area::Pages, Access::Read, Target::Account(account))?;
    let all: Vec<&PagesProject> = state
        .pages
        .iter()
        .filter(|p| p.account_id == account)
        .collect();
    let (page, info) = Page::from_query(ctx, BOUNDS).slice(&all);
    Ok(Reply::list(
        page.iter().map(|p| p.to_json()).collect::<Vec<Value>>(),
        info,
    ))
}

fn account_checked<'c>(ctx: &'c Ctx, state: &State, access: Access) -> Result<&'c str> {
    let account = ctx.seg(1);
    if !state.accounts.contains_key(account) {
        return Err(unknown_object(&format!(
            "/accounts/{account}/pages/projects"
        )));
    }
    ctx.principal
        .require(state, Area::Pages, access, Target::Account(account))?;
    Ok(account)
}

fn project_not_found(name: &str) -> ApiError {
    ApiError::not_found(8000007, format!("Project not found. The specified project name ({name}) does not match any of your existing projects."))
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 58
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !name.starts_with('-')
        && !name.ends_with('-')
}

/// `POST /accounts/{account_id}/pages/projects`: `name` (lowercase letters, digits, dashes) and
/// `production_branch`; needs Pages Write.
pub fn create(ctx: &Ctx, state: &mut State) -> Result {
    let account = account_checked(ctx, state, Access::Write)?.to_string();
    let body = ctx.json()?;
    let name = body
        .get("name")
        .and_then(Value::as_str)
        .ok_or_else(|| ApiError::bad_request(8000000, "name is required"))?
        .to_string();
    if !valid_name(&name) {
        return Err(ApiError::bad_request(
            8000001,
            format!(
                "Project name {name:?} is invalid: use 1-58 lowercase letters, digits and dashes"
            ),
        ));
    }
    if state
        .pages
        .iter()
        .any(|p| p.account_id == account && p.name == name)
    {
        return Err(ApiError::bad_request(
            8000002,
            format!("A project with this name already exists: {name}"),
        ));
    }
    let branch = body
        .get("production_branch")
        .and_then(Value::as_str)
        .unwrap_or("main")
        .to_string();
    let project = PagesProject {
        account_id: account.clone(),
        id: ids::uuid(),
        name: name.clone(),
        production_branch: branch,
        domains: Vec::new(),
        created_on: time::now_rfc3339(),
    };
    let json = project.to_json();
    state.pages.push(project);
    let actor = ctx.actor(state);
    state.audit(&actor, "add", "pages_project", &name, Some(&account), None);
    Ok(Reply::ok(json))
}

/// `GET /accounts/{account_id}/pages/projects/{project_name}`.
pub fn get(ctx: &Ctx, state: &State) -> Result {
    let account = account_checked(ctx, state, Access::Read)?;
    let name = ctx.seg(4);
    state
        .pages
        .iter()
        .find(|p| p.account_id == account && p.name == name)
        .map(|p| Reply::ok(p.to_json()))
        .ok_or_else(|| project_not_found(name))
}

/// `PATCH /accounts/{account_id}/pages/projects/{project_name}`: `production_branch`.
pub fn edit(ctx: &Ctx, state: &mut State) -> Result {
    let account = account_checked(ctx, state, Access::Write)?.to_string();
    let name = ctx.seg(4).to_string();
    let body = ctx.json()?;
    let project = state
        .pages
        .iter_mut()
        .find(|p| p.account_id == account && p.name == name)
        .ok_or_else(|| project_not_found(&name))?;
    match body.get("production_branch") {
        None | Some(Value::Null) => {}
        Some(Value::String(b)) if !b.is_empty() => project.production_branch = b.clone(),
        Some(_) => {
            return Err(ApiError::bad_request(
                8000003,
                "production_branch must be a non-empty string",
            ))
        }
    }
    let json = project.to_json();
    let actor = ctx.actor(state);
    state.audit(
        &actor,
        "change",
        "pages_project",
        &name,
        Some(&account),
        None,
    );
    Ok(Reply::ok(json))
}

/// `DELETE /accounts/{account_id}/pages/projects/{project_name}`.
pub fn delete(ctx: &Ctx, state: &mut State) -> Result {
    let account = account_checked(ctx, state, Access::Write)?.to_string();
    let name = ctx.seg(4).to_string();
    let before = state.pages.len();
    state
        .pages
        .retain(|p| !(p.account_id == account && p.name == name));
    if state.pages.len() == before {
        return Err(project_not_found(&name));
    }
    let actor = ctx.actor(state);
    state.audit(
        &actor,
        "delete",
        "pages_project",
        &name,
        Some(&account),
        None,
    );
    Ok(Reply::ok(Value::Null))
}
