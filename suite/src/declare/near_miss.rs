//! Near-miss credentials: wrong by one small step from the configured secret, where real
//! authentication bugs sit (a prefix compare, a case-insensitive collation, a trim, a user never
//! checked). They are derived only when a request is put on the wire, so a case, a report or a
//! snapshot holds the variant's name and never its bytes; repros rebuild it from the environment.

use crate::config::Credentials;
use base64::Engine;

/// One way of missing the configured credentials by a little.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NearMiss {
    PasswordMinusLast,
    PasswordPlusOne,
    PasswordCaseFlipped,
    PasswordLeadingSpace,
    PasswordTrailingSpace,
    PasswordFirst8,
    /// This account's user with the second account's password.
    OtherAccountsPassword,
    /// The second account's user with this account's password.
    OtherAccountsUser,
    /// A user that is no account, with this account's password.
    UnknownUserThisPassword,
    TokenMinusLast,
    TokenPlusOne,
    TokenCaseFlipped,
    TokenFirst8,
}

/// The user name no account has, for [`NearMiss::UnknownUserThisPassword`].
const UNKNOWN_USER: &str = "jc-unknown-user";

/// How long a prefix [`NearMiss::PasswordFirst8`] and [`NearMiss::TokenFirst8`] keep (a truncating hash).
const PREFIX: usize = 8;

impl NearMiss {
    /// Every variant, in the order cases are declared.
    pub const ALL: [NearMiss; 13] = [
        NearMiss::PasswordMinusLast,
        NearMiss::PasswordPlusOne,
        NearMiss::PasswordCaseFlipped,
        NearMiss::PasswordLeadingSpace,
        NearMiss::PasswordTrailingSpace,
        NearMiss::PasswordFirst8,
        NearMiss::OtherAccountsPassword,
        NearMiss::OtherAccountsUser,
        NearMiss::UnknownUserThisPassword,
        NearMiss::TokenMinusLast,
        NearMiss::TokenPlusOne,
        NearMiss::TokenCaseFlipped,
        NearMiss::TokenFirst8,
    ];

    /// The name used in case IDs.
    pub fn name(self) -> &'static str {
        match self {
            NearMiss::PasswordMinusLast => "password-minus-last",
            NearMiss::PasswordPlusOne => "password-plus-one",
            NearMiss::PasswordCaseFlipped => "password-case-flipped",
            NearMiss::PasswordLeadingSpace => "password-leading-space",
            NearMiss::PasswordTrailingSpace => "password-trailing-space",
            NearMiss::PasswordFirst8 => "password-first-8",
            NearMiss::OtherAccountsPassword => "other-accounts-password",
            NearMiss::OtherAccountsUser => "other-accounts-user",
            NearMiss::UnknownUserThisPassword => "unknown-user-this-password",
            NearMiss::TokenMinusLast => "token-minus-last",
            NearMiss::TokenPlusOne => "token-plus-one",
            NearMiss::TokenCaseFlipped => "token-case-flipped",
            NearMiss::TokenFirst8 => "token-first-8",
        }
    }

    /// What is sent, in words: all a case records of the credential.
    pub fn describe(self) -> &'static str {
        match self {
            NearMiss::PasswordMinusLast => "the password with its last character removed",
            NearMiss::PasswordPlusOne => "the password with one character appended",
            NearMiss::PasswordCaseFlipped => "the password with the case of every letter flipped",
            NearMiss::PasswordLeadingSpace => "the password with a leading space",
            NearMiss::PasswordTrailingSpace => "the password with a trailing space",
            NearMiss::PasswordFirst8 => "the first 8 characters of the password alone",
            NearMiss::OtherAccountsPassword => "this account's user with the second account's password",
            NearMiss::OtherAccountsUser => "the second account's user with this account's password",
            NearMiss::UnknownUserThisPassword => "a user that is no account, with this account's password",
            NearMiss::TokenMinusLast => "the token with its last character removed",
            NearMiss::TokenPlusOne => "the token with one character appended",
            NearMiss::TokenCaseFlipped => "the token with the case of every letter flipped",
            NearMiss::TokenFirst8 => "the first 8 characters of the token alone",
        }
    }

    /// Whether the variant needs a second account's credentials.
    pub fn needs_second_account(self) -> bool {
        matches!(self, NearMiss::OtherAccountsPassword | NearMiss::OtherAccountsUser)
    }

    /// The `Authorization` value for these credentials, or why the variant cannot be made from them
    /// (it would equal the real secret, or the credentials are of the other scheme).
    pub fn header(self, primary: &Credentials, secondary: Option<&Credentials>) -> Result<Vec<u8>, String> {
        let basic = |user: &str, password: &str| {
            let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
            format!("Basic {encoded}").into_bytes()
        };
        let varied = |secret: &str| -> Result<String, String> {
            let made = match self {
                NearMiss::PasswordMinusLast | NearMiss::TokenMinusLast => {
                    let mut s = secret.to_string();
                    s.pop();
                    s
                }
                NearMiss::PasswordPlusOne | NearMiss::TokenPlusOne => format!("{secret}x"),
                NearMiss::PasswordCaseFlipped | NearMiss::TokenCaseFlipped => secret.chars().map(flip_case).collect(),
                NearMiss::PasswordLeadingSpace => format!(" {secret}"),
                NearMiss::PasswordTrailingSpace => format!("{secret} "),
                NearMiss::PasswordFirst8 | NearMiss::TokenFirst8 => secret.chars().take(PREFIX).collect(),
                _ => secret.to_string(),
            };
            if made == secret {
                return Err(format!("{} would equal the configured secret", self.describe()));
            }
            Ok(made)
        };
        match (self, primary) {
            (NearMiss::OtherAccountsPassword | NearMiss::OtherAccountsUser, Credentials::Basic { user, password }) => {
                let Some(Credentials::Basic { user: user_2, password: password_2 }) = secondary else {
                    return Err("needs a second account with Basic credentials (JOURNEY_API_URL_2)".into());
                };
                if password == password_2 {
                    return Err("the two accounts share a password".into());
                }
                Ok(match self {
                    NearMiss::OtherAccountsPassword => basic(user, password_2),
                    _ => basic(user_2, password),
                })
            }
            (NearMiss::UnknownUserThisPassword, Credentials::Basic { password, .. }) => {
                Ok(basic(UNKNOWN_USER, password))
            }
            (v, Credentials::Basic { user, password }) if v.is_password() => Ok(basic(user, &varied(password)?)),
            (v, Credentials::Bearer { token }) if v.is_token() => Ok(format!("Bearer {}", varied(token)?).into_bytes()),
            (v, _) if v.is_token() => Err("the configured credentials are Basic: no token to vary".into()),
            _ => Err("the configured credentials are a Bearer token: no password to vary".into()),
        }
    }

    /// The bytes [`NearMiss::header`] sends that could leak back: the header and the varied secret.
    pub fn secrets(self, primary: &Credentials, secondary: Option<&Credentials>) -> Vec<Vec<u8>> {
        let Ok(header) = self.header(primary, secondary) else { return Vec::new() };
        let mut out = vec![header.clone()];
        if let Some(encoded) = header.strip_prefix(b"Basic ") {
            if let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(encoded) {
                if let Some(colon) = decoded.iter().position(|b| *b == b':') {
                    out.push(decoded[colon + 1..].to_vec());
                }
            }
        } else if let Some(token) = header.strip_prefix(b"Bearer ") {
            out.push(token.to_vec());
        }
        out
    }

    /// curl flags that rebuild the variant from `$JOURNEY_API_…` with shell expressions, never the bytes.
    pub fn curl_flags(self) -> String {
        const FLIP: &str = "$(printf %s \"$JOURNEY_API_PASSWORD\" | tr a-zA-Z A-Za-z)";
        const FLIP_TOKEN: &str = "$(printf %s \"$JOURNEY_API_TOKEN\" | tr a-zA-Z A-Za-z)";
        let basic = |user: &str, password: &str| format!("-u \"{user}:{password}\"");
        let bearer = |token: &str| format!("-H \"Authorization: Bearer {token}\"");
        match self {
            NearMiss::PasswordMinusLast => basic("$JOURNEY_API_USER", "${JOURNEY_API_PASSWORD%?}"),
            NearMiss::PasswordPlusOne => basic("$JOURNEY_API_USER", "${JOURNEY_API_PASSWORD}x"),
            NearMiss::PasswordCaseFlipped => basic("$JOURNEY_API_USER", FLIP),
            NearMiss::PasswordLeadingSpace => basic("$JOURNEY_API_USER", " $JOURNEY_API_PASSWORD"),
            NearMiss::PasswordTrailingSpace => basic("$JOURNEY_API_USER", "$JOURNEY_API_PASSWORD "),
            NearMiss::PasswordFirst8 => basic("$JOURNEY_API_USER", "${JOURNEY_API_PASSWORD:0:8}"),
            NearMiss::OtherAccountsPassword => basic("$JOURNEY_API_USER", "$JOURNEY_API_PASSWORD_2"),
            NearMiss::OtherAccountsUser => basic("$JOURNEY_API_USER_2", "$JOURNEY_API_PASSWORD"),
            NearMiss::UnknownUserThisPassword => basic(UNKNOWN_USER, "$JOURNEY_API_PASSWORD"),
            NearMiss::TokenMinusLast => bearer("${JOURNEY_API_TOKEN%?}"),
            NearMiss::TokenPlusOne => bearer("${JOURNEY_API_TOKEN}x"),
            NearMiss::TokenCaseFlipped => bearer(FLIP_TOKEN),
            NearMiss::TokenFirst8 => bearer("${JOURNEY_API_TOKEN:0:8}"),
        }
    }

    /// Whether the variant applies to credentials of this scheme (families declare only those).
    pub fn fits(self, bearer: bool) -> bool {
        self.is_token() == bearer
    }

    fn is_token(self) -> bool {
        matches!(
            self,
            NearMiss::TokenMinusLast | NearMiss::TokenPlusOne | NearMiss::TokenCaseFlipped | NearMiss::TokenFirst8
        )
    }

    fn is_password(self) -> bool {
        !self.is_token() && !self.needs_second_account() && self != NearMiss::UnknownUserThisPassword
    }
}

fn flip_case(c: char) -> char {
    if c.is_ascii_lowercase() {
        c.to_ascii_uppercase()
    } else {
        c.to_ascii_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn basic(user: &str, password: &str) -> Credentials {
        Credentials::Basic { user: user.into(), password: password.into() }
    }

    fn decoded(header: &[u8]) -> String {
        let encoded = header.strip_prefix(b"Basic ").expect("a Basic header");
        String::from_utf8(base64::engine::general_purpose::STANDARD.decode(encoded).unwrap()).unwrap()
    }

    #[test]
    fn each_password_variant_is_one_small_step_from_the_secret() {
        let me = basic("acct", "Secret-pass-42");
        let sent = |v: NearMiss| decoded(&v.header(&me, None).unwrap());
        assert_eq!(sent(NearMiss::PasswordMinusLast), "acct:Secret-pass-4");
        assert_eq!(sent(NearMiss::PasswordPlusOne), "acct:Secret-pass-42x");
        assert_eq!(sent(NearMiss::PasswordCaseFlipped), "acct:sECRET-PASS-42");
        assert_eq!(sent(NearMiss::PasswordLeadingSpace), "acct: Secret-pass-42");
        assert_eq!(sent(NearMiss::PasswordTrailingSpace), "acct:Secret-pass-42 ");
        assert_eq!(sent(NearMiss::PasswordFirst8), "acct:Secret-p");
        assert_eq!(sent(NearMiss::UnknownUserThisPassword), "jc-unknown-user:Secret-pass-42");
    }

    #[test]
    fn cross_account_variants_need_a_second_account_and_swap_one_half() {
        let (me, other) = (basic("one", "pw-one-123"), basic("two", "pw-two-456"));
        assert!(NearMiss::OtherAccountsPassword.header(&me, None).is_err());
        assert_eq!(decoded(&NearMiss::OtherAccountsPassword.header(&me, Some(&other)).unwrap()), "one:pw-two-456");
        assert_eq!(decoded(&NearMiss::OtherAccountsUser.header(&me, Some(&other)).unwrap()), "two:pw-one-123");
    }

    #[test]
    fn a_variant_equal_to_the_secret_or_of_the_other_scheme_is_refused() {
        // No letters to flip, and no more than 8 characters to cut: the "variant" would be the secret.
        assert!(NearMiss::PasswordCaseFlipped.header(&basic("a", "12345678-90"), None).is_err());
        assert!(NearMiss::PasswordFirst8.header(&basic("a", "short"), None).is_err());
        assert!(NearMiss::TokenMinusLast.header(&basic("a", "pw-long-enough"), None).is_err());
        let token = Credentials::Bearer { token: "O:tok-abcdef".into() };
        assert_eq!(NearMiss::TokenMinusLast.header(&token, None).unwrap(), b"Bearer O:tok-abcde");
        assert!(NearMiss::PasswordMinusLast.header(&token, None).is_err());
    }

    #[test]
    fn secrets_hold_the_header_and_the_varied_secret() {
        let me = basic("acct", "Secret-pass-42");
        let secrets = NearMiss::PasswordPlusOne.secrets(&me, None);
        assert!(secrets.contains(&b"Secret-pass-42x".to_vec()), "{secrets:?}");
        assert!(secrets.contains(&NearMiss::PasswordPlusOne.header(&me, None).unwrap()));
    }

    #[test]
    fn curl_flags_name_variables_never_values() {
        for v in NearMiss::ALL {
            let flags = v.curl_flags();
            assert!(flags.contains("$JOURNEY_API_") || flags.contains("${JOURNEY_API_"), "{flags}");
        }
    }
}
