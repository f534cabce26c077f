# Builds pastes.json. Each paste is the text a user put in a public issue thread, verbatim
# except where marked [redacted]; `cause` is what the thread's resolution (or, for a closed
# thread without one, the server's own description) names first. Labels were set before tuning.
import json

C = []
def case(url, source, code, cause, basis, resolution, paste):
    C.append(dict(url=url, source=source, code=code, cause=cause, basis=basis, resolution=resolution, paste=paste))

case("https://github.com/odeke-em/drive/issues/346", "go-oauth2/google", "invalid_grant", "code-reused", "resolution",
     "fetched a new code in another browser; the server said the code was already redeemed",
     'oauth2: cannot fetch token: 400 Bad Request\nResponse: {\n  "error" : "invalid_grant",\n  "error_description" : "Code was already redeemed."\n}')
case("https://github.com/Triple-T/gradle-play-publisher/issues/131", "google-api-java-client", "invalid_grant", "clock-skew", "resolution",
     "the computer's clock was out of sync; syncing it fixed the service-account assertion",
     'com.google.api.client.auth.oauth2.TokenResponseException: 400 Bad Request\n{\n  "error" : "invalid_grant"\n}')
case("https://github.com/Mithrandir21/GoogleCloudStorage/issues/3", "google-api-java-client", "invalid_grant", "clock-skew", "resolution",
     "the device's time was out of sync",
     'com.google.api.client.auth.oauth2.TokenResponseException: 400 Bad Request\n{\n    "error" : "invalid_grant"\n}')
case("https://github.com/pocketbase/pocketbase/issues/2475", "go-oauth2 inside a JSON log (damaged escapes)", "invalid_grant", "pkce-verifier-mismatch", "server-words",
     "open thread; Google said the code verifier is invalid",
     '"errorMessage":"oauth2":cannot fetch token:400 Bad Request\\nResponse:{\\n \\"error\\":\\"invalid_grant",\\n\\"error_description\\":\\"Invalid code vérifier.\\"\\n}\n}')
case("https://github.com/blobfile/blobfile/issues/93", "python bytes literal / Entra (truncated)", "invalid_grant", "refresh-token-expired", "resolution",
     "handle expired refresh tokens: the refresh token expired from inactivity",
     '400: `b\'{"error":"invalid_grant","error_description":"AADSTS700082: The refresh token has expired due to inactivity.` from https://login.microsoftonline.com/common/oauth2/token')
case("https://github.com/spencerwooo/onedrive-cf-index/issues/25", "Entra JSON (truncated)", "invalid_grant", "code-expired", "resolution",
     "maintainer: the code expired because the next step was not done in time",
     '{"error":"invalid_grant","error_description":"AADSTS70000: The provided value for the \'code\' parameter is not valid. The code has expired.\\r\\nTrace ID: 7da0f588-0389-4720-a1a4-7858b95b5000\\r\\nCorrelation ID: 397ffa74-99eb-4e86-ba8e-cf91ab3783a5\\r\\nTimestamp: 2020-09-02 09:11:20Z","error_codes":[70000],"timestamp":"2020-09-02 09:11:20Z","trace_id":"7da0f588-0389-4720-a1a4-7858b95b5000","correlation_id":"397ffa74-99eb-4e86-ba8e-cf91ab3783a5","error_uri":"https://login.microsoftonline.com/error?code=70000')
case("https://github.com/reruin/sharelist/issues/511", "Entra message", "AADSTS700082", "refresh-token-expired", "server-words",
     "the refresh token was inactive for 90 days",
     'AADSTS700082: The refresh token has expired due to inactivity. The token was issued on 2021-02-20T02:58:17.0350262Z and was inactive for 90.00:00:00. Trace ID: dc41b3fa-a25b-4280-b500-cd8b8788a601 Correlation ID: 2bf1b649-3085-40ab-aab9-508397ef1c6b Timestamp: 2021-05-26 10:35:28Z')
case("https://github.com/microsoft/powerplatform-build-tools/issues/894", "MSAL via pac CLI", "AADSTS700082", "refresh-token-expired", "resolution",
     "cleared the auth profile and signed in again",
     'Error: AADSTS700082: The refresh token has expired due to inactivity.&nbsp;The token was issued on 2024-01-28T19:43:52.3866932Z and was inactive for 90.00:00:00. Trace ID: 4e7e9611-79bb-4525-a2f8-47212bf25300 Correlation ID: fc3fb0fc-fccc-4422-9905-9c8b4d639f89 Timestamp: 2024-05-23 19:17:36Z')
case("https://github.com/snok/django-auth-adfs/issues/245", "Entra message", "AADSTS54005", "code-reused", "server-words",
     "the code was already redeemed",
     '"AADSTS54005: OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token" occured recently.')
case("https://github.com/AzureAD/azure-activedirectory-library-for-nodejs/issues/242", "ADAL node", "AADSTS54005", "code-reused", "server-words",
     "the code was already redeemed; fixed by using a refresh token instead of the code again",
     'AADSTS54005: OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.')
case("https://github.com/bluevisiontec/GoogleShoppingApi/issues/73", "Google error page", "redirect_uri_mismatch", "redirect-not-registered", "resolution",
     "register the redirect URI in the Google Developer project",
     'Error 400 redirect_uri_mismatch.\n\nThe redirect URI in the request: https://www.mywebsite.com/index.php/adminslug/googleShoppingApi_oauth/auth/ did not match a registered redirect URI.')
case("https://github.com/dqdang/digested-clips/issues/5", "Google error page", "redirect_uri_mismatch", "redirect-not-registered", "resolution",
     "check the redirect_uri registered for the app",
     'Authorization Error\nError 400: redirect_uri_mismatch\nThe redirect URI in the request, http://localhost:8080/, does not match the ones authorized for the OAuth client. To update the authorized redirect URIs, visit:.')
case("https://github.com/dissorial/doc-chatbot/issues/10", "Google error page with request details", "redirect_uri_mismatch", "redirect-not-registered", "resolution",
     "set Authorized redirect URIs in the Google console to the callback",
     "Error 400: redirect_uri_mismatch\n\nYou can't sign in to this app because it doesn't comply with Google's OAuth 2.0 policy.\n\nIf you're the app developer, register the redirect URI in the Google Cloud Console.\nRequest details: redirect_uri=http://localhost:3000/api/auth/callback/google")
case("https://github.com/pac4j/play-pac4j-scala-demo/issues/48", "Google error page", "redirect_uri_mismatch", "redirect-not-registered", "server-words",
     "the callback URI is not among the client's authorized redirect URIs",
     'Error: redirect_uri_mismatch\n\nThe redirect URI in the request, http://play-pac4j-scala-demo.herokuapp.com/callback?client_name=OidcClient, does not match the ones authorized for the OAuth client. Visit https://console.developers.google.com/apis/credentials/oauthclient/[redacted].apps.googleusercontent.com?project=[redacted] to update the authorized redirect URIs.')
case("https://github.com/googleworkspace/apps-script-oauth2/issues/91", "Google error page", "redirect_uri_mismatch", "redirect-not-registered", "resolution",
     "registered the redirect URI the script actually uses",
     "400. That’s an error.\n\nError: redirect_uri_mismatch\n\nThe redirect URI in the request, https://script.google.com/oauthcallback, does not match the ones authorized for the OAuth client. Visit https://console.developers.google.com/apis/credentials/oauthclient/xxxxxxxxxxx(deleted for privacy) to update the authorized redirect URIs.")
case("https://github.com/edds/browser-matrix/issues/1", "Google error page with request details", "redirect_uri_mismatch", "redirect-not-registered", "resolution",
     "the https variant had not been added as an allowed redirect",
     "400. That’s an error.\n\nError: redirect_uri_mismatch\n\nApplication: BrowserMatrix\n\nThe redirect URI in the request: https://edds.github.io/browser-matrix/ did not match a registered redirect URI\n\nRequest Details\n\nscope=https://www.googleapis.com/auth/userinfo.email https://www.googleapis.com/auth/analytics.readonly\nresponse_type=token\nredirect_uri=https://edds.github.io/browser-matrix/\napproval_prompt=auto\nstate=\nclient_id=[redacted].apps.googleusercontent.com")
case("https://github.com/auth0/express-openid-connect/issues/296", "openid-client OPError / Keycloak", "invalid_grant", "consent-revoked", "resolution",
     "the session was invalidated at the identity provider (Keycloak)",
     "OPError: invalid_grant (Session not active)\n    at processResponse (D:\\work\\workspace\\skill-matrix\\skill-matrix-frontend\\build\\js\\node_modules\\openid-client\\lib\\helpers\\process_response.js:45:13)\n    at Client.grant (D:\\work\\workspace\\skill-matrix\\skill-matrix-frontend\\build\\js\\node_modules\\openid-client\\lib\\client.js:1249:26)\n    at processTicksAndRejections (internal/process/task_queues.js:95:5)\n    at Client.refresh (D:\\work\\workspace\\skill-matrix\\skill-matrix-frontend\\build\\js\\node_modules\\openid-client\\lib\\client.js:995:22)")
case("https://github.com/panva/openid-client/issues/380", "openid-client OPError", "invalid_client", "grant-not-enabled", "server-words",
     "the server says the refresh_token grant is not authorized for this client",
     "OPError: invalid_client (Unauthorized grant type: refresh_token)")
case("https://github.com/code-specialist/fastapi-keycloak/issues/65", "python-keycloak dict repr", "unauthorized_client", "wrong-secret", "resolution",
     "the client secret was wrong; with the right one it works",
     "fastapi_keycloak.exceptions.KeycloakError: HTTP 403: {'error': 'unauthorized_client', 'error_description': 'Invalid client secret'}")
case("https://github.com/thomasdarimont/spring-boot-keycloak-jwe-example/issues/1", "Keycloak JSON", "invalid_client", "wrong-auth-method", "resolution",
     "the Keycloak client authenticator must be 'Client Id and Secret', not Signed JWT",
     '{\n  "error": "invalid_client",\n  "error_description": "Parameter client_assertion_type is missing"\n}')
case("https://github.com/porjo/youtubeuploader/issues/181", "go-oauth2 (new format)", "invalid_grant", "refresh-token-expired", "server-words",
     "Google: the refresh token has expired or been revoked",
     'oauth2: "invalid_grant" "Token has been expired or revoked."')
case("https://github.com/GeneralTask/task-manager/pull/2169", "go-oauth2 inside an escaped log string", "invalid_grant", "refresh-token-expired", "resolution",
     "treat as a bad token: the user must reconnect",
     'Get \\"https://www.googleapis.com/calendar/v3/calendars/primary/events?alt=json&orderBy=startTime&prettyPrint=false&singleEvents=true&timeMax=2022-09-30T23%3A59%3A59-05%3A00&timeMin=2022-09-01T00%3A00%3A00-05%3A00\\": oauth2: cannot fetch token: 400 Bad Request\\nResponse: {\\n  \\"error\\": \\"invalid_grant\\",\\n  \\"error_description\\": \\"Token has been expired or revoked.\\"\\n}')
case("https://github.com/googleworkspace/python-samples/issues/1644", "google-auth RefreshError repr", "invalid_grant", "refresh-token-expired", "server-words",
     "the stored token had expired; refreshing with it fails",
     "(<class 'google.auth.exceptions.RefreshError'>, RefreshError('invalid_grant: Token has been expired or revoked.', {'error': 'invalid_grant', 'error_description': 'Token has been expired or revoked.'}), <traceback object at 0x000002B34BB63700>)")
case("https://github.com/golang/oauth2/issues/28", "Google JSON", "invalid_grant", "redirect-uri-mismatch", "resolution",
     "commenter: with a code from a frontend popup the redirect_uri must be 'postmessage'",
     '{\n  "error": "invalid_grant",\n  "error_description": "Bad Request"\n}.')
case("https://github.com/microsoft/Dynamics-AX-Integration/issues/95", "Entra message", "AADSTS7000215", "wrong-secret", "server-words",
     "the secret used is not a valid secret value",
     'AADSTS7000215: Invalid client secret is provided.')
case("https://github.com/microsoftgraph/contoso-airlines-teams-sample/issues/11", "Entra message", "AADSTS7000215", "wrong-secret", "server-words",
     "the client secret in the config is not the right value",
     'AADSTS7000215: Invalid client secret is provided. Trace ID: 02f6f1c8-78b8-44f9-9576-66a55b4aa100 Correlation ID: 52f513ad-39d9-4eb4-b1a9-281571228968 Timestamp: 2021-09-13 23:21:24Z')
case("https://github.com/OfficeDev/microsoft-365-agents-toolkit/issues/8621", "bot framework log with Entra JSON", "invalid_client", "wrong-secret", "server-words",
     "send the secret value, not the secret ID",
     'onTurnError] unhandled error: Error: Get Token request returned http error: 401 and server response: {"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app \'a8fdfbd0-da97-42d9-8f1a-fd6a7cb650b4\'.\\r\\nTrace ID: 6f6c4645-0202-4486-b625-fa957dfc4700\\r\\nCorrelation ID: 5fc87507-4086-4e77-b415-cee677eb232e\\r\\nTimestamp: 2023-05-06 06:03:00Z","error_codes":[7000215],"timestamp":"2023-05-06 06:03:00Z","trace_id":"6f6c4645-0202-4486-b625-fa957dfc4700","correlation_id":"5fc87507-4086-4e77-b415-cee677eb232e","error_uri":"https://login.microsoftonline.com/error?code=7000215"}<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd"><html xmlns="http://www.w3.org/1999/xhtml"><head><title>IIS Detailed Error - 500.0 - Internal Server Error</title>')
case("https://github.com/Azure/sap-automation/issues/418", "go autorest log with Entra JSON", "invalid_client", "wrong-secret", "server-words",
     "a new service principal's secret was refused: the secret value, not its ID",
     'Error : Error: Failed to get existing workspaces: Error retrieving keys for Storage Account "mgmtweeutfstatee56": autorest/Client#Do: Preparing request failed: StatusCode=0 -- Original Error: clientCredentialsToken: received HTTP status 401 with response: {"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app \'4d856d1f-8648-456c-9bb2-f36273bbe4e3\'.\\r\\nTrace ID: 6bad8289-db4a-49da-8609-0848d8d71700\\r\\nCorrelation ID: 63b8bb61-5ca6-4ae3-8224-15a4de11cd87\\r\\nTimestamp: 2023-02-20 07:21:29Z","error_codes":[7000215],"timestamp":"2023-02-20 07:21:29Z","trace_id":"6bad8289-db4a-49da-8609-0848d8d71700","correlation_id":"63b8bb61-5ca6-4ae3-8224-15a4de11cd87","error_uri":"[https://login.microsoftonline.com/error?code=7000215"}](https://login.microsoftonline.com/error?code=7000215%22})')
case("https://github.com/sjkp/letsencrypt-siteextension/issues/144", "ADAL .NET exception", "AADSTS50012", "wrong-secret", "server-words",
     "the client secret had expired / was wrong; a new one fixed renewal",
     'Microsoft.IdentityModel.Clients.ActiveDirectory.AdalServiceException: AADSTS70002: Error validating credentials. AADSTS50012: Invalid client secret is provided. Trace ID: a1daagbb-5047-4c59-170e-ceegeg52590200 Correlation ID: 367371g4-39c0-459c-b506-61937a4d76475 Timestamp: 2017-06-08 09:22:07Z ---> System.Net.WebException: The remote server returned an error: (401) Unauthorized. at System.Net.HttpWebRequest.GetResponse()')
case("https://github.com/ahaenggli/AzureAD-LDAP-wrapper/issues/45", "MSAL node log", "invalid_client", "wrong-secret", "server-words",
     "the secret ID was used instead of the secret value",
     "errorCode: 'invalid_client', | stdout\n-- | --\n\nerrorMessage: \"7000215 - [2023-03-05 22:32:01Z]: AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app 'appid'.\\r\\n\" + | stdout")
case("https://github.com/MicrosoftDocs/azure-docs/issues/76339", "MSAL node ServerError JSON", "invalid_client", "wrong-secret", "server-words",
     "the secret copied was refused (the secret ID vs value)",
     '{"errorCode":"invalid_client","errorMessage":"7000215 - [2021-06-03 08:44:04Z]: AADSTS7000215: Invalid client secret is provided.\\r\\nTrace ID: 13691729-e9e3-4b0b-a984-1b0436a11500\\r\\nCorrelation ID: b3a22236-5e8e-4b82-a861-95a998b51a37\\r\\nTimestamp: 2021-06-03 08:44:04Z - Correlation ID: b3a22236-5e8e-4b82-a861-95a998b51a37 - Trace ID: 13691729-e9e3-4b0b-a984-1b0436a11500","subError":"","name":"ServerError"}')
case("https://github.com/dcangulo/react-native-pkce-challenge/issues/229", "Keycloak/Okta JSON", "invalid_grant", "pkce-verifier-mismatch", "resolution",
     "a bug in the challenge generator; fixed in a later release",
     '{"error":"invalid_grant","error_description":"PKCE verification failed"}')
case("https://github.com/openiddict/openiddict-core/issues/1225", "OpenIddict log", "invalid_grant", "pkce-verifier-mismatch", "server-words",
     "the code_verifier did not correspond to the expected value",
     '[15:12:56 ERR] The token request was rejected because the \'code_verifier\' parameter didn\'t correspond to the expected value.\n[15:12:56 INF] The response was successfully returned as a JSON document: {\n  "error": "invalid_grant",\n  "error_description": "The specified \'code_verifier\' is invalid.",\n  "error_uri": "https://documentation.openiddict.com/errors/ID2052"\n}.')
case("https://github.com/openid/AppAuth-iOS/issues/452", "AppAuth iOS", "invalid_grant", "pkce-verifier-mismatch", "server-words",
     "the verifier sent does not match the challenge",
     '"exchange error: invalid_grant: The code_verifier sent does not match code_challenge included in the authorization request"')
case("https://github.com/taers232c/GAMADV-XTD3/issues/172", "oauthlib via GAM", "invalid_grant", "pkce-verifier-mismatch", "server-words",
     "Google said the code verifier is invalid",
     'ERROR: The authentication flow failed (invalid verification code entered?): (invalid_grant) Invalid code verifier.')
case("https://github.com/youversion/platform-sdk-react/pull/10", "JSON", "invalid_grant", "pkce-verifier-mismatch", "server-words",
     "PKCE attempt: the verifier was refused",
     '{\n  "error": "invalid_grant",\n  "error_description": "Invalid code verifier"\n}')
case("https://github.com/marcospereirampj/python-keycloak/issues/207", "python-keycloak bytes literal", "invalid_grant", "redirect-uri-mismatch", "server-words",
     "Keycloak: the token request's redirect_uri differs from the authorization request's",
     "keycloak.exceptions.KeycloakGetError: 400: b'{\"error\":\"invalid_grant\",\"error_description\":\"Incorrect redirect_uri\"}'")
case("https://github.com/mauriciovigolo/keycloak-angular/issues/464", "Keycloak JSON + server log", "invalid_grant", "code-reused", "resolution",
     "Keycloak's log: the code was already used for the user session",
     '{\n    "error": "invalid_grant",\n    "error_description": "Code not valid"\n}\n\nIf I check the logs of my KeyCloak server I find this:\n\n2022-12-29 07:55:50,841 WARN  [org.keycloak.protocol.oidc.utils.OAuth2CodeParser] (executor-thread-27) Code \'b199dad6-06c2-4e3d-9054-ebff4d96b459\' already used for userSession \'463987a6-5ab5-484b-b12a-24ee20abb1da\' and client \'9f330c7c-4985-4c0c-8185-8932b9fa7297\'.')
case("https://github.com/jasonjoh/dotnet-tutorial/issues/4", "Entra message", "AADSTS50011", "redirect-not-registered", "resolution",
     "register exactly http://localhost:10800/Home/Authorize (case-sensitive)",
     "ERROR retrieving token: AADSTS50011: The reply address 'http://localhost:10800/Home/Authorize' does not match the reply addresses configured for the application")
case("https://github.com/unoplatform/uno.todo/issues/180", "Entra sign-in page", "AADSTS50011", "redirect-not-registered", "resolution",
     "the PR staging URL was not registered as a redirect URI",
     "#Sign in\nSorry, but we’re having trouble signing you in.\n\nAADSTS50011: The redirect URI 'https://happy-moss-09a619b10-179.centralus.1.azurestaticapps.net/authentication-callback' specified in the request does not match the redirect URIs configured for the application '919c40bb-e237-42f0-9056-5f60974e1e21'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.\n\nRequest Id: c73e65c8-c89c-4e9c-9891-86f61fd68100\nCorrelation Id: 563004c8-c25f-4192-8c01-1fa7047ee614\nTimestamp: 2022-04-29T22:14:59Z\nMessage: AADSTS50011: The redirect URI 'https://happy-moss-09a619b10-179.centralus.1.azurestaticapps.net/authentication-callback' specified in the request does not match the redirect URIs configured for the application '919c40bb-e237-42f0-9056-5f60974e1e21'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.")
case("https://github.com/isaacrlevin/presencelight/issues/755", "Entra sign-in page", "AADSTS50011", "redirect-not-registered", "resolution",
     "use one of the redirect URLs registered for the app",
     "Request Id: 4a484a80-5fb2-4f97-9410-efb996198a00\nCorrelation Id: 4ec72077-0740-4398-97a3-effd8786550e\nTimestamp: 2022-10-25T17:53:48Z\nMessage: AADSTS50011: The redirect URI 'http://192.168.0.60:3838/signin-oidc' specified in the request does not match the redirect URIs configured for the application 'f8119f58-4523-44c1-ab72-b2e0c815bd6a'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.")
case("https://github.com/microsoftgraph/msgraph-sample-pythondjangoapp/issues/21", "Entra message", "AADSTS50011", "redirect-not-registered", "resolution",
     "compared the redirect_uri sent with the registered one and fixed it",
     "AADSTS50011 error, i.e. : The reply url specified in the request does not match the reply urls configured for the application: 'xxxx'.")
case("https://github.com/oktadev/okta-spring-boot-react-crud-example/issues/7", "Okta error page", "invalid_request", "redirect-not-registered", "resolution",
     "add http://localhost:8080/login/oauth2/code/okta as a redirect URI of the app",
     "Identity Provider: Unknown\nError Code: invalid_request\nDescription: The 'redirect_uri' parameter must be an absolute URI that is whitelisted in the client app settings.")
case("https://github.com/okta/okta-react-native/issues/175", "Okta error page", "invalid_request", "redirect-not-registered", "server-words",
     "maintainer: configuration; the redirect URI is not a login redirect URI of the app",
     "400\nBAD REQUEST\nYour request resulted in an error.\n\n<Button>Go to Homepage<Button/>\n\nidentity provider: Unknown\n\nError Code : invalid_request\n\nDescription: The direct_url' parameter must be a Login redirect URI in the client  app settings: https://dev-52866645-admin.okta.cm/admin/oidc_client/instance/genral.")
case("https://github.com/oktadev/okta-aspnetcore-mvc-example/issues/14", "Okta error page (Spanish)", "invalid_request", "redirect-not-registered", "server-words",
     "the app sends the http variant while only https is registered",
     "Proveedor de identidades: Unknown\nCódigo de error: invalid_request\nDescripción: The 'redirect_uri' parameter must be an absolute URI that is whitelisted in the client app settings.")
case("https://github.com/oktadev/okta-node-express-typescript-react-example/issues/12", "Okta error page", "invalid_request", "redirect-not-registered", "resolution",
     "set the Login redirect URI to http://localhost:8080/callback",
     "400: Bad Request\nBAD REQUEST\n\nYour request resulted in an error.\nGo to Homepage\nIdentity Provider: Unknown\nError Code: invalid_request\nDescription: The 'redirect_uri' parameter must be a Login redirect URI in the client app settings: https://dev-<DEVLINK>-admin.oktapreview.com/admin/app/oidc_client/instance/<CLIENTID>#tab-general")
case("https://github.com/Glimesh/glimesh.tv/issues/467", "redirect query", "access_denied", "user-declined", "resolution",
     "the user clicked Deny; the server redirects back with access_denied",
     "?error=access_denied&error_description=The+resource+owner+or+authorization+server+denied+the+request.")
case("https://github.com/ramosbugs/oauth2-rs/issues/303", "Entra JSON via Rust oauth2", "invalid_grant", "refresh-token-expired", "server-words",
     "the refresh token failed sign-in frequency checks: the user must sign in again",
     '{"error": "invalid_grant", "error_description": "AADSTS700081: The refresh token has expired or is invalid due to sign-in frequency checks. The user must sign in again."}')
case("https://github.com/Azure-Samples/active-directory-dotnet-native-headless/issues/10", "ADAL message", "AADSTS65001", "consent-missing", "resolution",
     "not an administrator, so no admin consent; with a directory where they are admin it works",
     "Message: AADSTS65001: The user or administrator has not consented to use the application with ID 'XXXX'. Send an interactive authorization request for this user and resource.")
case("https://github.com/microsoft/mattercenter/issues/656", "ADAL .NET exception", "AADSTS65001", "consent-missing", "resolution",
     "the tenant admin consented to the app",
     "Microsoft.IdentityModel.Clients.ActiveDirectory.AdalServiceException: AADSTS65001: The user or administrator has not consented to use the application with ID 'xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxx'. Send an interactive authorization request for this user and resource.")
case("https://github.com/Azure-Samples/active-directory-angularjs-singlepageapp-dotnet-webapi/issues/19", "ADAL JS", "AADSTS65001", "consent-missing", "resolution",
     "grant the permission for the app in the portal",
     "Error description:AADSTS65001: The user or administrator has not consented to use the application with ID {my id} . Send an interactive authorization request for this user and resource.")
case("https://github.com/vibber-ai/fastapi-azure-auth/issues/177", "Entra OBO JSON (truncated)", "invalid_grant", "consent-missing", "resolution",
     "the organisation requires admin consent for the Graph permission",
     ' "obo_response": {\n    "error": "invalid_grant",\n    "error_description": "AADSTS65001')
case("https://github.com/googleapis/google-auth-library-ruby/issues/210", "Signet (Ruby)", "unauthorized_client", "delegation-not-authorized", "server-words",
     "service account with domain-wide delegation; the scopes are not authorized for the client",
     'Signet::AuthorizationError (Authorization failed.  Server message:)\n{\n  "error": "unauthorized_client",\n  "error_description": "Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested."\n}')
case("https://github.com/googleapis/google-auth-library-ruby/issues/123", "Signet (Ruby)", "unauthorized_client", "delegation-not-authorized", "server-words",
     "domain-wide delegation with a subject: the client is not authorized for the scopes",
     'Signet::AuthorizationError: Authorization failed.  Server message:\n{\n "error": "unauthorized_client",\n "error_description": "Client is unauthorized to retrieve access tokens using this method."\n}')
case("https://github.com/googleapis/google-api-python-client/issues/792", "google-auth RefreshError (truncated)", "unauthorized_client", "delegation-not-authorized", "resolution",
     "the Tasks scope had not been added to the domain-wide delegation",
     "('unauthorized_client: Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.', '{\\n  \"error\": \"unauthorized_client\",\\n  \"")
case("https://github.com/googleapis/google-api-php-client/issues/950", "Guzzle exception (truncated)", "unauthorized_client", "delegation-not-authorized", "server-words",
     "service account impersonating a user: scope not authorized",
     "Exception 'GuzzleHttp\\Exception\\ClientException' with message 'Client error: `POST https://www.googleapis.com/oauth2/v4/token` resulted in a `401 Unauthorized` response:\n{\n \"error\": \"unauthorized_client\",\n \"error_description\": \"Unauthorized client or scope in request")
case("https://github.com/Byron/google-apis-rs/issues/486", "Rust yup-oauth2 Debug output", "unauthorized_client", "delegation-not-authorized", "server-words",
     "domain-wide delegation with subject(): client not authorized for the scopes",
     'Error(GoogleApiError(MissingToken(AuthError(AuthError { error: UnauthorizedClient, error_description: Some("Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested."), error_uri: None }))))')
case("https://github.com/simonrob/email-oauth2-proxy/issues/362", "google-auth RefreshError repr", "invalid_client", "unknown-client", "server-words",
     "Google does not know the client id configured",
     "RefreshError('invalid_client: The OAuth client was not found.', {'error': 'invalid_client', 'error_description': 'The OAuth client was not found.'})")
case("https://github.com/WWBN/AVideo/issues/1571", "Google error page", "invalid_client", "unknown-client", "server-words",
     "the configured Google client id does not exist",
     "401. That’s an error.\n\nError: invalid_client\n\nThe OAuth client was not found.\n\nRequest Details\nThat’s all we know.")
case("https://github.com/martijnboland/appoints-api-node/issues/1", "Google error page", "invalid_client", "unknown-client", "server-words",
     "no client id of the user's own was configured",
     "1. That’s an error.\n\nError: invalid_client\n\nThe OAuth client was not found.")
case("https://github.com/bshaffer/oauth2-server-php/issues/429", "oauth2-server-php JSON", "invalid_client", "wrong-auth-method", "resolution",
     "PHP CGI drops the Authorization header: the Basic credentials never arrive",
     '{"error":"invalid_client","error_description":"Client credentials were not found in the headers or body"}')
case("https://github.com/AzureADQuickStarts/AppModelv2-WebApp-OpenIDConnect-DotNet/issues/50", "Entra message", "AADSTS700016", "unknown-client", "server-words",
     "the client id is still the sample's placeholder",
     "AADSTS700016: Application with identifier 'Enter_the_Application_Id_here' was not found in the directory 'abc '. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.")
case("https://github.com/microsoftgraph/msgraph-sdk-dotnet/issues/454", "Entra message", "AADSTS700016", "unknown-client", "resolution",
     "no client id was provided (placeholder left in the sample)",
     "AADSTS700016: Application with identifier 'ENTER_YOUR_CLIENT_ID' was not found in the directory")
case("https://github.com/Azure-Samples/azure-health-data-and-ai-samples/issues/100", "Entra sign-in page", "AADSTS700016", "unknown-client", "resolution",
     "the app was registered in a different tenant; fixed the client id / tenant",
     "Request Id: ffa7696f-5efb-44ad-8fd8-d3c6e7c04900\nCorrelation Id: 41dbb355-5553-4793-988e-026f8e1a1cf3\nTimestamp: 2023-07-14T04:03:09Z\nMessage: AADSTS700016: Application with identifier '63890e31-65af-45a3-a3d5-9c52245496aa' was not found in the directory 'Default Directory'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.")
case("https://github.com/Azure-Samples/active-directory-dotnet-daemon-certificate-credential/issues/16", "ADAL exception", "AADSTS70001", "unknown-client", "resolution",
     "the wrong tenant name was configured",
     "Exception:Caught: \"AADSTS70001: Application with identifier '57c9xxxxxx' was not found in the directory yyy.onmicrosoft.com,")

# Held out: gathered and labelled after the rules were written. First run: code 11/13, cause 7/13;
# then three general fixes (`=>` maps, `code: description` on any log line, "grant is enabled").
HOLDOUT_FROM = len(C)
case("https://github.com/mauriciovigolo/keycloak-angular/issues/564", "Keycloak JSON", "invalid_grant", "refresh-token-expired", "server-words",
     "refresh after the SSO session idled out: Keycloak says the token is not active",
     '`{"error":"invalid_grant","error_description":"Token is not active"}`')
case("https://github.com/openid/AppAuth-iOS/issues/843", "AppAuth iOS NSError", "invalid_grant", "refresh-token-expired", "server-words",
     "the refresh fails once the tokens expired; Keycloak says not active",
     'Domain=org.openid.appauth.oauth_token Code=-10 "invalid_grant: Token is not active" UserInfo={OIDOAuthErrorResponseErrorKey={\n    error = "invalid_grant";\n    "error_description" = "Token is not active";\n}, NSLocalizedDescription=invalid_grant: Token is not active, NSUnderlyingError=0x28302f240 {Error Domain=org.openid.appauth.remote-http Code=400 "{"error":"invalid_grant","error_description":"Token is not active"}" UserInfo={NSLocalizedDescription={"error":"invalid_grant","error_description":"Token is not active"}}}}'.replace("\\n", "\n"))
case("https://github.com/intuit/oauth-jsclient/issues/77", "intuit-oauth response dump", "invalid_grant", "refresh-token-reused", "resolution",
     "Intuit's log: refresh token not found; the app did not keep the newest refresh token",
     "response: \n      Response {\n        Url: [Object],\n        rawHeaders: [Array],\n        body: '{\"error\":\"invalid_grant\"}',\n        status: 400,\n        statusText: 'Bad Request' },\n     body: '{\"error\":\"invalid_grant\"}',\n     json: { error: 'invalid_grant' },\n     intuit_tid: '6a115e25-544e-489d-9d90-25c4c5c9f466' }".replace("\\n", "\n"))
case("https://github.com/acquia/reservoir/issues/62", "league/oauth2-server JSON with hint", "invalid_grant", "grant-not-enabled", "server-words",
     "the server's hint: check that the grant is enabled",
     '{\n    "error": "invalid_grant",\n    "message": "The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.",\n    "hint": "Check the configuration to see if the grant is enabled."\n}'.replace("\\n", "\n"))
case("https://github.com/Widen/cloudfront-auth/issues/13", "axios error data (GitHub form body)", "bad_verification_code", "redirect-uri-mismatch", "resolution",
     "CALLBACK_PATH did not match the redirect",
     "    data: 'error=bad_verification_code&error_description=The+code+passed+is+incorrect+or+expired.&error_uri=https%3A%2F%2Fdeveloper.github.com%2Fapps%2Fmanaging-oauth-apps%2Ftroubleshooting-oauth-app-access-token-request-errors%2F%23bad-verification-code'\n}".replace("\\n", "\n"))
case("https://github.com/xgeek-net/salesforce-mass-editor/issues/4", "extension log (Salesforce)", "invalid_grant", "refresh-token-expired", "server-words",
     "Salesforce says the access/refresh token expired",
     "[2018-01-23 15:15] CHECK TOKEN , true\n[2018-01-23 15:15] CHECK METADATA , true\n[2018-01-23 15:15] [ERROR] invalid_grant: expired access/refresh token\n    at chrome-extension://mnmlmkmjjhpbfemhmhpcpfkdlgadbigf/dist/js/main.min.js:11:11957".replace("\\n", "\n"))
case("https://github.com/restforce/restforce/issues/81", "restforce (Ruby)", "invalid_grant", "refresh-token-expired", "server-words",
     "Salesforce says the access/refresh token expired",
     "Salesforce Authentication Error: invalid_grant: expired access/refresh token")
case("https://github.com/forcedotcom/SalesforceMobileSDK-iOS/issues/1250", "Salesforce iOS NSError", "invalid_grant", "refresh-token-expired", "resolution",
     "maintainer: the refresh token is invalid or revoked; log in again",
     'Error Domain=com.salesforce.OAuth.ErrorDomain Code=672 "expired access/refresh token" UserInfo={error=invalid_grant, NSLocalizedDescription=expired access/refresh token}')
case("https://github.com/jsforce/jsforce/issues/1167", "jsforce", "invalid_grant", "refresh-token-expired", "server-words",
     "Salesforce says the access/refresh token expired",
     '"invalid_grant: expired access/refresh token"')
case("https://github.com/mikebronner/laravel-sign-in-with-apple/issues/9", "Guzzle message in a JSON string (Apple)", "invalid_client", "clock-skew", "resolution",
     "the Apple client_secret JWT had an expiry more than six months away",
     '"Client error: `POST https://appleid.apple.com/auth/token` resulted in a `400 Bad Request` response:\\n{\\\"error\\\":\\\"invalid_client\\\"}\\n"')
case("https://github.com/aaronpk/sign-in-with-apple-example/issues/6", "PHP print_r (Apple)", "invalid_client", "wrong-secret", "resolution",
     "maintainer: the client secret (the JWT) is likely wrong",
     "stdClass Object\n(\n    [error] => invalid_client\n)".replace("\\n", "\n"))
case("https://github.com/mattbaya/ITEGA/issues/5", "redirect query (Keycloak)", "invalid_scope", "scope-unknown", "resolution",
     "the newshare scope is not defined as a client scope; request openid only",
     "`error=invalid_scope&error_description=Invalid+scopes:+openid+newshare`")
case("https://github.com/DuendeArchive/IdentityServer4/issues/1456", "request and JSON response", "invalid_scope", "scope-unknown", "server-words",
     "the scope asked for does not exist",
     'grant_type=client_credentials&client_id=redacted&client_secret=redacted&scope=SCOPE_DOES_NOT_EXIST\n\nI receive the following\n\n{"error":"invalid_scope"}'.replace("\\n", "\n"))
HOLDOUT2_FROM = len(C)
# Second holdout: gathered and labelled after the changes above. First run: code 6/6, cause 1/6; then
# two general fixes (a description on the line after `error: code`; "verifier" alone as a PKCE word).
case("https://github.com/bshaffer/oauth2-server-php/issues/307", "oauth2-server-php JSON", "invalid_grant", "code-expired", "resolution",
     "the code lifetime was 30 s; exchanging it by hand took longer",
     '{"error":"invalid_grant","error_description":"The authorization code has expired"}')
case("https://github.com/sfc-gh-bhess/st_oauth/issues/10", "OpenIddict fields as lines", "invalid_request", "pkce-challenge-missing", "server-words",
     "the server requires a code_challenge the client did not send",
     "error:invalid_request\nerror_description:The mandatory 'code_challenge' parameter is missing.\nerror_uri:https://documentation.openiddict.com/errors/ID2029".replace("\\n", "\n"))
case("https://github.com/DuendeArchive/IdentityServer4/issues/4238", "IdentityServer error page", "invalid_request", "pkce-challenge-missing", "resolution",
     "the demo client requires PKCE and the request carried no code_challenge",
     "Sorry, there was an error : invalid_request\ncode challenge required".replace("\\n", "\n"))
case("https://github.com/VKCOM/vkid-web-sdk/issues/34", "VK ID JSON", "invalid_request", "pkce-verifier-mismatch", "server-words",
     "the server refuses the code_verifier sent",
     '{"error":"invalid_request","error_description":"verifier is missing or invalid"}')
case("https://github.com/XeroAPI/Xero-NetStandard/issues/441", "Xero JSON", "invalid_grant", "code-mangled", "resolution",
     "the client lower-cased the code; codes are case-sensitive",
     'HTTP 400 {"error":"invalid_grant"}')
case("https://github.com/MicrosoftDocs/azure-docs/issues/24804", "Entra message", "AADSTS90023", "code-mangled", "resolution",
     "the code was sanitised (lower-cased) before being sent back",
     "AADSTS90023 Request is malformed or invalid.")
for c in C[HOLDOUT2_FROM:]:
    c["set"] = "holdout-2"
for c in C[HOLDOUT_FROM:HOLDOUT2_FROM]:
    c["set"] = "holdout"

if __name__ == "__main__":
    import os
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pastes.json")
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"about": "Errors users pasted into public GitHub issue threads, verbatim except [redacted] parts, with the code they carry and the first cause the thread's resolution names (basis: resolution), or, where the thread settled nothing, the cause the server's own words name (basis: server-words). Labels were set before any tuning.", "cases": C}, f, ensure_ascii=False, indent=1)
    print(len(C), "cases")
