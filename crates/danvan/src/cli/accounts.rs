//! Accounts and Open311 API keys.

use super::{cli_audit, explain, store_err};
use anyhow::{bail, Context, Result};
use clap::Subcommand;
use danvan_domain::org::account::{self, AccountInput};
use danvan_domain::Role;
use danvan_store::Store;
use std::io::IsTerminal;

#[derive(Subcommand)]
pub enum UserCommand {
    /// Create an account, optionally with a role in a unit (by code).
    Add {
        #[arg(long)]
        username: String,
        #[arg(long = "name")]
        full_name: String,
        #[arg(long, default_value = "")]
        email: String,
        #[arg(long, default_value = "")]
        phone: String,
        /// Password; read from DANVAN_PASSWORD or standard input when omitted.
        #[arg(long, env = "DANVAN_PASSWORD", hide_env_values = true)]
        password: Option<String>,
        /// Unit code for the membership, e.g. C00073.
        #[arg(long)]
        unit: Option<String>,
        /// admin, leader, officer, front or viewer.
        #[arg(long)]
        role: Option<String>,
        #[arg(long, default_value = "")]
        title: String,
    },
    /// Set an account's password (signs it out everywhere).
    Passwd {
        username: String,
        #[arg(long, env = "DANVAN_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
    /// List accounts with their roles.
    List,
    /// Create a personal API token for an account (the secret is printed once).
    Token { username: String, name: String },
}

#[derive(Subcommand)]
pub enum Open311Command {
    /// Manage the API keys clients use to create requests.
    #[command(subcommand)]
    Key(KeyCommand),
}

#[derive(Subcommand)]
pub enum KeyCommand {
    /// Create a key for a client (the secret is printed once).
    Add { name: String },
    /// List the keys.
    List,
    /// Revoke a key by its id.
    Revoke { id: i64 },
}

fn read_password(given: Option<String>) -> Result<String> {
    if let Some(p) = given {
        return Ok(p);
    }
    if std::io::stdin().is_terminal() {
        eprint!("password: ");
    }
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

async fn hash(password: &str) -> Result<String> {
    danvan_app::org::accounts::hash_password(password.to_string()).await.map_err(|e| anyhow::anyhow!("{e:?}"))
}

pub async fn user(store: Store, cmd: UserCommand) -> Result<()> {
    match cmd {
        UserCommand::Add { username, full_name, email, phone, password, unit, role, title } => {
            let password = read_password(password)?;
            let draft =
                danvan_app::org::accounts::validate_new_account(&AccountInput { username, full_name, email, phone }, &password)
                    .map_err(explain)?;
            let membership = match (unit, role) {
                (Some(code), Some(role)) => {
                    let u = store.get_unit_by_code(&code).await?.with_context(|| format!("no unit with code {code}"))?;
                    let r = Role::parse(&role)
                        .with_context(|| format!("unknown role {role} (admin, leader, officer, front, viewer)"))?;
                    Some((u.id, r))
                }
                (None, None) => None,
                _ => bail!("--unit and --role go together"),
            };
            let audit = cli_audit();
            let acc = store.create_account(&audit, &draft, &hash(&password).await?).await.map_err(store_err)?;
            if let Some((unit, role)) = membership {
                store.add_membership(&audit, acc.id, unit, role, &title).await.map_err(store_err)?;
            }
            println!("created account {} (id {})", acc.username, acc.id);
        }
        UserCommand::Passwd { username, password } => {
            let acc = store.get_account_by_username(&username).await?.with_context(|| format!("no account {username}"))?;
            let password = read_password(password)?;
            account::validate_password(&password).map_err(|k| explain(danvan_domain::FieldErrors::one("password", k)))?;
            store.set_password(&cli_audit(), acc.id, &hash(&password).await?).await?;
            println!("password set for {username}; its sessions were ended");
        }
        UserCommand::Token { username, name } => {
            let acc = store.get_account_by_username(&username).await?.with_context(|| format!("no account {username}"))?;
            let (_, secret) = store.create_api_token(&cli_audit(), acc.id, &name).await.map_err(store_err)?;
            println!("{secret}");
        }
        UserCommand::List => {
            let mut accounts = vec![];
            loop {
                let (page, total) = store.list_accounts("", None, 500, accounts.len() as i64).await?;
                let done = page.is_empty() || accounts.len() + page.len() >= total as usize;
                accounts.extend(page);
                if done {
                    break;
                }
            }
            for a in accounts {
                let roles: Vec<String> =
                    store.memberships_of(a.id).await?.iter().map(|m| format!("{}@{}", m.role, m.unit_code)).collect();
                println!("{:<20} {:<32} {}{}", a.username, a.full_name, roles.join(","), if a.active { "" } else { " (locked)" });
            }
        }
    }
    Ok(())
}

pub async fn open311(store: Store, cmd: Open311Command) -> Result<()> {
    match cmd {
        Open311Command::Key(KeyCommand::Add { name }) => {
            let (key, secret) = store.create_open311_key(&cli_audit(), &name).await.map_err(store_err)?;
            println!("created Open311 key {} (id {}): {secret}", key.name, key.id);
        }
        Open311Command::Key(KeyCommand::List) => {
            for k in store.open311_keys().await? {
                println!("{}\t{}\t{}…\t{}", k.id, k.name, k.prefix, if k.revoked_at.is_some() { "revoked" } else { "active" });
            }
        }
        Open311Command::Key(KeyCommand::Revoke { id }) => store.revoke_open311_key(&cli_audit(), id).await.map_err(store_err)?,
    }
    Ok(())
}
