"""Interface strings of django-allauth, listed so that ``makemessages`` puts them in our catalogues.

django-allauth translates its own sign-in, sign-up, email-verification, password and
email-management pages (and the emails it sends) through its bundled catalogues, but it ships
none for Bahasa Melayu (``ms``). Without this module those pages would fall back to English for
Malay speakers. Every msgid here is copied exactly from allauth's templates
(``allauth/templates/account/...``, ``allauth/templates/allauth/layouts/...``), its account forms
and adapter error messages, so that the translations in ``forward/locale`` (which Django prefers
over an app's own catalogue) are found at run time. For ``zh_Hans`` and ``id`` the same entries
let us keep wording consistent with the rest of Forward.

Nothing imports this module; ``gettext_noop`` only marks the strings for extraction. Plural
messages and messages with a context (``pgettext``) cannot be expressed this way and are left out.
When upgrading django-allauth, compare these strings against its
``locale/zh_Hans/LC_MESSAGES/django.po`` and re-run ``makemessages``.
"""

from django.utils.translation import gettext_noop

# account/forms.py
gettext_noop("You must type the same password each time.")
gettext_noop("Password")
gettext_noop("Remember Me")
gettext_noop("Username")
gettext_noop("Username, email or phone")
gettext_noop("Username or email")
gettext_noop("Username or phone")
gettext_noop("Email or phone")
gettext_noop("Email (again)")
gettext_noop("Email address confirmation")
gettext_noop("Email")
gettext_noop("Email (optional)")
gettext_noop("Username (optional)")
gettext_noop("Phone")
gettext_noop("You must type the same email each time.")
gettext_noop("Password (again)")
gettext_noop("Current Password")
gettext_noop("New Password")
gettext_noop("New Password (again)")
gettext_noop("Code")

# account/adapter.py
gettext_noop("This account is currently inactive.")
gettext_noop("You cannot remove your primary email address.")
gettext_noop("This email address is already associated with this account.")
gettext_noop("The email address and/or password you specified are not correct.")
gettext_noop("The phone number and/or password you specified are not correct.")
gettext_noop("A user is already registered with this email address.")
gettext_noop("Please type your current password.")
gettext_noop("Incorrect code.")
gettext_noop("Incorrect password.")
gettext_noop("Invalid or expired key.")
gettext_noop("Invalid login.")
gettext_noop("The password reset token was invalid.")
gettext_noop("You cannot add more than %d email addresses.")
gettext_noop("A user is already registered with this phone number.")
gettext_noop("Too many failed login attempts. Try again later.")
gettext_noop("The email address is not assigned to any user account.")
gettext_noop("The phone number is not assigned to any user account.")
gettext_noop("Your primary email address must be verified.")
gettext_noop("Username can not be used. Please use other username.")
gettext_noop("The username and/or password you specified are not correct.")
gettext_noop("Please select only one.")
gettext_noop("The new value must be different from the current one.")
gettext_noop("Be patient, you are sending too many requests.")
gettext_noop("Use your password")
gettext_noop("Use authenticator app or code")
gettext_noop("Use a security key")

# account/fields.py
gettext_noop("Email address")
gettext_noop("Forgot your password?")
gettext_noop("Enter a phone number including country code (e.g. +1 for the US).")

# account/account_inactive.html
gettext_noop("Account Inactive")
gettext_noop("This account is inactive.")

# account/base_confirm_code.html
gettext_noop("We've sent a code to %(recipient)s. The code expires shortly, so please enter it soon.")
gettext_noop("Confirm")
gettext_noop("Request new code")
gettext_noop("Cancel")

# account/base_reauthenticate.html
gettext_noop("Confirm Access")
gettext_noop("Please reauthenticate to safeguard your account.")
gettext_noop("Alternative options")

# account/email.html
gettext_noop("Email Addresses")
gettext_noop("The following email addresses are associated with your account:")
gettext_noop("Verified")
gettext_noop("Unverified")
gettext_noop("Primary")
gettext_noop("Make Primary")
gettext_noop("Re-send Verification")
gettext_noop("Remove")
gettext_noop("Add Email Address")
gettext_noop("Add Email")
gettext_noop("Do you really want to remove the selected email address?")

# account/email/account_already_exists_message.txt
gettext_noop(
    "You are receiving this email because you or someone else tried to signup for an\n"
    "account using email address:\n"
    "\n"
    "%(email)s\n"
    "\n"
    "However, an account using that email address already exists.  In case you have\n"
    "forgotten about this, please use the password forgotten procedure to recover\n"
    "your account:\n"
    "\n"
    "%(password_reset_url)s"
)

# account/email/account_already_exists_subject.txt
gettext_noop("Account Already Exists")

# account/email/base_message.txt
gettext_noop("Hello from %(site_name)s!")
gettext_noop(
    "Thank you for using %(site_name)s!\n"
    "%(site_domain)s"
)

# account/email/base_notification.txt
gettext_noop("You are receiving this mail because the following change was made to your account:")
gettext_noop(
    "If you do not recognize this change then please take proper security precautions immediately. The change to your account originates from:\n"
    "\n"
    "- IP address: %(ip)s\n"
    "- Browser: %(user_agent)s\n"
    "- Date: %(timestamp)s"
)

# account/email/email_changed_message.txt
gettext_noop("Your email has been changed from %(from_email)s to %(to_email)s.")

# account/email/email_changed_subject.txt
gettext_noop("Email Changed")

# account/email/email_confirm_message.txt
gettext_noop("Your email has been confirmed.")

# account/email/email_confirm_subject.txt
gettext_noop("Email Confirmation")

# account/email/email_confirmation_message.txt
gettext_noop("You're receiving this email because user %(user_display)s has given your email address to register an account on %(site_domain)s.")
gettext_noop("Your email verification code is listed below. Please enter it in your open browser window.")
gettext_noop("To confirm this is correct, go to %(activate_url)s")

# account/email/email_confirmation_subject.txt
gettext_noop("Please Confirm Your Email Address")

# account/email/email_deleted_message.txt
gettext_noop("Email address %(deleted_email)s has been removed from your account.")

# account/email/email_deleted_subject.txt
gettext_noop("Email Removed")

# account/email/password_changed_message.txt
gettext_noop("Your password has been changed.")

# account/email/password_changed_subject.txt
gettext_noop("Password Changed")

# account/email/password_reset_code_message.txt
gettext_noop("Your password reset code is listed below. Please enter it in your open browser window.")
gettext_noop("This mail can be safely ignored if you did not initiate this action.")

# account/email/password_reset_code_subject.txt
gettext_noop("Password Reset Code")

# account/email/password_reset_key_message.txt
gettext_noop(
    "You're receiving this email because you or someone else has requested a password reset for your user account.\n"
    "It can be safely ignored if you did not request a password reset. Click the link below to reset your password."
)
gettext_noop("In case you forgot, your username is %(username)s.")

# account/email/password_reset_key_subject.txt
gettext_noop("Password Reset Email")

# account/email/password_reset_message.txt
gettext_noop("Your password has been reset.")

# account/email/password_reset_subject.txt
gettext_noop("Password Reset")

# account/email/password_set_message.txt
gettext_noop("Your password has been set.")

# account/email/password_set_subject.txt
gettext_noop("Password Set")

# account/email/unknown_account_message.txt
gettext_noop("You are receiving this email because you, or someone else, tried to access an account with email %(email)s. However, we do not have any record of such an account in our database.")
gettext_noop("If it was you, you can sign up for an account using the link below.")

# account/email/unknown_account_subject.txt
gettext_noop("Unknown Account")

# account/email_confirm.html
gettext_noop("Confirm Email Address")
gettext_noop("Please confirm that <a href=\"mailto:%(email)s\">%(email)s</a> is an email address for user %(user_display)s.")
gettext_noop("Unable to confirm %(email)s because it is already confirmed by a different account.")
gettext_noop("This email confirmation link expired or is invalid. Please <a href=\"%(email_url)s\">issue a new email confirmation request</a>.")

# account/login.html
gettext_noop("Sign In")
gettext_noop("If you have not created an account yet, then please %(link)ssign up%(end_link)s first.")
gettext_noop("Sign in with a passkey")
gettext_noop("Send me a sign-in code")

# account/logout.html
gettext_noop("Sign Out")
gettext_noop("Are you sure you want to sign out?")

# account/messages/cannot_delete_primary_email.txt
gettext_noop("You cannot remove your primary email address (%(email)s).")

# account/messages/email_confirmation_sent.txt
gettext_noop("Confirmation email sent to %(email)s.")

# account/messages/email_confirmed.txt
gettext_noop("You have confirmed %(email)s.")

# account/messages/email_deleted.txt
gettext_noop("Removed email address %(email)s.")

# account/messages/logged_in.txt
gettext_noop("Successfully signed in as %(name)s.")

# account/messages/logged_out.txt
gettext_noop("You have signed out.")

# account/messages/login_code_sent.txt
gettext_noop("A sign-in code has been sent to %(recipient)s.")

# account/messages/password_changed.txt
gettext_noop("Password successfully changed.")

# account/messages/password_set.txt
gettext_noop("Password successfully set.")

# account/messages/phone_verification_sent.txt
gettext_noop("A verification code has been sent to %(phone)s.")

# account/messages/phone_verified.txt
gettext_noop("You have verified phone number %(phone)s.")

# account/messages/primary_email_set.txt
gettext_noop("Primary email address set.")

# account/password_change.html
gettext_noop("Change Password")

# account/password_reset.html
gettext_noop("Forgotten your password? Enter your email address below, and we'll send you an email allowing you to reset it.")
gettext_noop("Reset My Password")
gettext_noop("Please contact us if you have any trouble resetting your password.")

# account/password_reset_done.html
gettext_noop("We have sent you an email. If you have not received it please check your spam folder. Otherwise contact us if you do not receive it in a few minutes.")

# account/password_reset_from_key.html
gettext_noop("Bad Token")
gettext_noop("The password reset link was invalid, possibly because it has already been used.  Please request a <a href=\"%(passwd_reset_url)s\">new password reset</a>.")

# account/password_reset_from_key_done.html
gettext_noop("Your password is now changed.")

# account/password_set.html
gettext_noop("Set Password")

# account/reauthenticate.html
gettext_noop("Enter your password:")

# account/signup.html
gettext_noop("Signup")
gettext_noop("Sign Up")
gettext_noop("Already have an account? Then please %(link)ssign in%(end_link)s.")
gettext_noop("Sign up using a passkey")

# account/signup_closed.html
gettext_noop("Sign Up Closed")
gettext_noop("We are sorry, but the sign up is currently closed.")

# account/snippets/already_logged_in.html
gettext_noop("Note")
gettext_noop("You are already logged in as %(user_display)s.")

# account/snippets/warn_no_email.html
gettext_noop("Warning:")
gettext_noop("You currently do not have any email address set up. You should really add an email address so you can receive notifications, reset your password, etc.")

# account/verification_sent.html
gettext_noop("Verify Your Email Address")
gettext_noop("We have sent an email to you for verification. Follow the link provided to finalize the signup process. If you do not see the verification email in your main inbox, check your spam folder. Please contact us if you do not receive the verification email within a few minutes.")

# account/verified_email_required.html
gettext_noop(
    "This part of the site requires us to verify that\n"
    "you are who you claim to be. For this purpose, we require that you\n"
    "verify ownership of your email address. "
)
gettext_noop(
    "We have sent an email to you for\n"
    "verification. Please click on the link inside that email. If you do not see the verification email in your main inbox, check your spam folder. Otherwise\n"
    "contact us if you do not receive it within a few minutes."
)
gettext_noop("<strong>Note:</strong> you can still <a href=\"%(email_url)s\">change your email address</a>.")

# allauth/layouts/base.html
gettext_noop("Messages:")
gettext_noop("Menu:")
gettext_noop("Change Email")
gettext_noop("Account Connections")
gettext_noop("Two-Factor Authentication")
gettext_noop("Sessions")
