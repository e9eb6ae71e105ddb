import FondiStore
import HTTPTypes
import Hummingbird

/// Headers on every response: a strict Content-Security-Policy (scripts, styles, images and fetches only
/// from this server, no inline script or style, forms only to it, never framed), no MIME sniffing, no referrer, no caching of pages
/// that carry creditors' names (ADR 0015).
struct Intestazioni<Context: RequestContext>: RouterMiddleware {
    static var politica: String {
        "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    }
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var r = try await next(request, context)
        r.headers[.contentSecurityPolicy] = Self.politica
        r.headers[.xContentTypeOptions] = "nosniff"
        r.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        r.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        if r.headers[.cacheControl] == nil { r.headers[.cacheControl] = "no-store" }
        return r
    }
}

/// Resolves the session cookie into `context.sessione`; a page without a live session redirects (303) to
/// the sign-in form. Public: the sign-in form itself, the style sheet, `/salute`, `/metriche` (counts and timings, no
/// amounts or names: for the operators' scraper; ADR 0018) and the API's description.
struct Accesso: RouterMiddleware {
    let archivio: Archivio
    static let pubblici = Set(Rotta.allCases.filter(\.pubblica).map(\.percorso))

    func handle(_ request: Request, context: ContestoFondi, next: (Request, ContestoFondi) async throws -> Response) async throws -> Response {
        if Self.pubblici.contains(request.uri.path) { return try await next(request, context) }
        var context = context
        if request.uri.path.hasPrefix(Api.prefisso + "/") {
            // Programs: a token from `fondi utente token`, never the browser's cookie (no CSRF to forge).
            guard let h = request.headers[.authorization], h.hasPrefix("Bearer ") else {
                return Api.errore(.unauthorized, "credenziali mancanti: usa l'intestazione Authorization: Bearer TOKEN (fondi utente token)")
            }
            let token = String(h.dropFirst("Bearer ".count))
            guard !token.isEmpty, token.count <= 128,
                  let u = try await archivio.usa(.lettura, { try $0.utenteDaToken(token) }) else {
                return Api.errore(.unauthorized, "token non valido o revocato")
            }
            context.sessione = Sessione(utente: u, csrf: "")
            context.traccia.utente = u.nome
            return try await next(request, context)
        }
        if let id = request.cookies[Cookie.sessione]?.value, !id.isEmpty, id.count <= 128 {
            context.sessione = try await archivio.usa(.scrittura) { try $0.sessione(id) }
        }
        guard let s = context.sessione else { return Response.redirect(to: "/accesso", type: .normal) }
        context.traccia.utente = s.utente.nome
        context.registrati = ContestoFondi.registrati(request.uri.queryParameters.get("registrati"))
        return try await next(request, context)
    }
}

extension Cookie {
    static let sessione = "fondi_sessione"
    /// The pre-session cookie the sign-in form's CSRF token is bound to.
    static let preSessione = "fondi_pre"

    /// HttpOnly and SameSite=Strict always; Secure when TLS ends at a proxy in front (`--https-dietro-proxy`).
    static func fondi(_ nome: String, _ valore: String, sicuro: Bool, maxAge: Int? = nil) -> Cookie {
        Cookie(name: nome, value: valore, maxAge: maxAge, path: "/", secure: sicuro, httpOnly: true, sameSite: .strict)
    }
}

/// An unknown path: for a person, a page with the menu and a way back (with the security headers, since it is a
/// response like any other); for a program under `/api/v1/`, the API's JSON error.
struct NonTrovato: RouterMiddleware {
    let pagine: Pagine

    func handle(_ request: Request, context: ContestoFondi, next: (Request, ContestoFondi) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let e as HTTPError where e.status == .notFound || e.status == .methodNotAllowed {
            if request.uri.path.hasPrefix(Api.prefisso + "/") { return Api.errore(e.status, "risorsa inesistente: vedi /api/v1/openapi.json") }
            let testo = e.status == .notFound ? "Questa pagina non esiste. Torna al cruscotto o scegli una voce del menu." : "Questa pagina non accetta questo metodo."
            return pagine.pagina(e.status == .notFound ? "Pagina non trovata" : "Metodo non consentito",
                                 Modelli.rendi("testo", ["testo": testo]) + "<p><a href=\"/\">Vai al cruscotto</a></p>", context, stato: e.status)
        }
    }
}
