//! What a person at a console may do: one definition for the console and the reviewers file.

/// What a reviewer may do in the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Role {
    /// Decides criteria and recognises initiatives.
    #[default]
    Reviewer,
    /// The council chair: a reviewer who can also lock a subject whose review is final (and
    /// unlock it).
    Chair,
    /// Looks and exports; every change is refused with a message.
    Viewer,
}

impl Role {
    /// The name used in the reviewers file and in logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Reviewer => "reviewer",
            Role::Chair => "chair",
            Role::Viewer => "viewer",
        }
    }

    /// The role a reviewers file names: "reviewer", "chair" or "viewer".
    pub(crate) fn from_name(name: &str) -> Option<Role> {
        match name {
            "reviewer" => Some(Role::Reviewer),
            "chair" => Some(Role::Chair),
            "viewer" => Some(Role::Viewer),
            _ => None,
        }
    }
}
