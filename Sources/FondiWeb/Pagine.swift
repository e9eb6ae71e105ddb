import Fondi
import FondiServizi
import FondiStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// How the server runs: behind a TLS proxy or not, and what "today" is (tests fix it).
public struct ConfigurazioneWeb: Sendable {
    public var dietroProxy: Bool
    public var oggi: @Sendable () -> DataContabile

    public init(dietroProxy: Bool = false, oggi: @escaping @Sendable () -> DataContabile = { Orologio.oggi() }) {
        self.dietroProxy = dietroProxy
        self.oggi = oggi
    }
}

/// The pages of `fondi serve` (DOMAIN §8): every figure comes from the same shared layer as the CLI
/// (`Catalogo`, `Vista`, the domain's reports), every refusal carries the CLI's Italian message.
struct Pagine: Sendable {
    let archivio: Archivio
    let configurazione: ConfigurazioneWeb

    // MARK: - Responses

    static func html(_ testo: String, stato: HTTPResponse.Status = .ok) -> Response {
        Response(status: stato, headers: [.contentType: "text/html; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: testo)))
    }

    func pagina(_ titolo: String, _ corpo: String, _ context: ContestoFondi, vista: (descrizione: String, oggi: String)? = nil,
                stato: HTTPResponse.Status = .ok) -> Response {
        Self.html(Modelli.rendi("pagina", contenutoPagina(titolo, corpo, context, vista: vista)), stato: stato)
    }

    /// What the layout template needs: title, body, who is signed in, the time-travel banner.
    func contenutoPagina(_ titolo: String, _ corpo: String, _ context: ContestoFondi, vista: (descrizione: String, oggi: String)? = nil) -> [String: Any] {
        var c: [String: Any] = ["titolo": titolo, "corpo": corpo]
        if let s = context.sessione {
            let ruolo = s.utente.ruolo
            c["utente"] = ["nome": s.utente.nome, "ruolo": ruolo.rawValue, "csrf": s.csrf,
                           "scrive": ruolo >= .operatore, "responsabile": ruolo >= .responsabile] as [String: Any]
        }
        if let r = context.registrati {
            c["avviso"] = ["testo": r.da == r.a ? "Registrato: evento n. \(r.da) aggiunto alla catena." : "Registrato: eventi n. \(r.da)–\(r.a) aggiunti alla catena.",
                           "link": "/registrato?da=\(r.da)&a=\(r.a)"]
        }
        if let vista { c["vista"] = ["descrizione": vista.descrizione, "oggi": vista.oggi] }
        return c
    }

    static func stato(_ errore: any Error) -> HTTPResponse.Status {
        if let e = errore as? ErroreArchivio, e.transitorio { return .serviceUnavailable }
        if errore is ErroreLimite { return .contentTooLarge }
        switch Categoria(errore) {
        case .rifiuto: return .unprocessableContent
        case .uso: return .badRequest
        case .integrita: return .conflict
        }
    }

    /// An error as a page with the CLI's Italian message and the status of DOMAIN §8.
    func errore(_ e: any Error, _ context: ContestoFondi, titolo: String = "Richiesta rifiutata") -> Response {
        pagina(titolo, Modelli.rendi("testo", ["testo": Self.senzaOpzioni(messaggio(di: e))]), context, stato: Self.stato(e))
    }

    func vietato(_ context: ContestoFondi, _ cosa: String) -> Response {
        pagina("Non consentito", Modelli.rendi("testo", ["testo": "il ruolo \(context.sessione?.utente.ruolo.rawValue ?? "") non consente \(cosa)"]),
               context, stato: .forbidden)
    }

    // MARK: - Forms

    /// An `application/x-www-form-urlencoded` body as (name, value) pairs, in order, `+` as space.
    static func campi(_ request: Request, _ context: ContestoFondi) async throws -> [(String, String)] {
        return try Self.decodifica(String(buffer: try await corpo(request, context)))
    }

    /// The request's body, at most `maxUploadSize` bytes: a larger one is refused (413) before it is read whole.
    static func corpo(_ request: Request, _ context: ContestoFondi) async throws -> ByteBuffer {
        do {
            return try await request.body.collect(upTo: context.maxUploadSize)
        } catch let e as HTTPError where e.status == .contentTooLarge {
            throw ErroreLimite("corpo della richiesta oltre \(context.maxUploadSize / 1024) KiB: dividi i comandi in più richieste o usa fondi importa")
        } catch is NIOTooManyBytesError {
            throw ErroreLimite("corpo della richiesta oltre \(context.maxUploadSize / 1024) KiB: dividi i comandi in più richieste o usa fondi importa")
        }
    }

    static func decodifica(_ testo: String) throws -> [(String, String)] {
        func decodifica(_ s: Substring) throws -> String {
            var byte: [UInt8] = []
            var i = s.utf8.startIndex
            let u = s.utf8
            while i < u.endIndex {
                let b = u[i]
                if b == UInt8(ascii: "+") { byte.append(0x20) }
                else if b == UInt8(ascii: "%") {
                    let h1 = u.index(after: i)
                    guard h1 < u.endIndex, u.index(after: h1) < u.endIndex,
                          let v = UInt8(String(decoding: [u[h1], u[u.index(after: h1)]], as: UTF8.self), radix: 16) else {
                        throw ErroreUso("modulo non leggibile: codifica percentuale non valida")
                    }
                    byte.append(v)
                    i = u.index(after: h1)
                } else { byte.append(b) }
                i = u.index(after: i)
            }
            guard let t = String(validating: byte, as: UTF8.self) else { throw ErroreUso("modulo non leggibile: testo non UTF-8") }
            return t
        }
        return try testo.split(separator: "&", omittingEmptySubsequences: true).map { coppia in
            let parti = coppia.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (try decodifica(parti[0]), parti.count > 1 ? try decodifica(parti[1]) : "")
        }
    }

    /// The CSRF token of a form must be the session's (DOMAIN §8): otherwise 403 and nothing written.
    static func csrfValido(_ campi: [(String, String)], atteso: String) -> Bool {
        let dati = campi.filter { $0.0 == "csrf" }
        guard dati.count == 1, let dato = dati.first?.1, !atteso.isEmpty, dato.utf8.count == atteso.utf8.count else { return false }
        // Compared in constant time.
        return zip(dato.utf8, atteso.utf8).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    // MARK: - Sign-in

    func moduloAccesso(_ request: Request, _ context: ContestoFondi, messaggio: String? = nil, nome: String = "",
                       stato: HTTPResponse.Status = .ok) -> Response {
        let token = request.cookies[Cookie.preSessione]?.value.nonVuoto ?? Registro.segreto()
        var c: [String: Any] = ["csrf": token, "nome": nome]
        if let messaggio { c["messaggio"] = messaggio }
        var r = pagina("Accesso", Modelli.rendi("accesso", c), context, stato: stato)
        r.setCookie(.fondi(Cookie.preSessione, token, sicuro: configurazione.dietroProxy))
        return r
    }

    func accedi(_ request: Request, _ context: ContestoFondi) async throws -> Response {
        let campi = try await Self.campi(request, context)
        guard let pre = request.cookies[Cookie.preSessione]?.value, Self.csrfValido(campi, atteso: pre) else {
            return pagina("Non consentito", Modelli.rendi("testo", ["testo": "modulo scaduto o non valido (token CSRF): ricarica la pagina di accesso"]),
                          context, stato: .forbidden)
        }
        let nome = campi.first { $0.0 == "nome" }?.1 ?? "", password = campi.first { $0.0 == "password" }?.1 ?? ""
        let esito = try await archivio.usa(.scrittura) { try $0.accedi(nome: nome, password: password) }
        switch esito {
        case let .entrato(sessione, _, _):
            var r = Response.redirect(to: "/", type: .normal)
            r.setCookie(.fondi(Cookie.sessione, sessione, sicuro: configurazione.dietroProxy))
            r.setCookie(.fondi(Cookie.preSessione, "", sicuro: configurazione.dietroProxy, maxAge: 0))
            return r
        case .rifiutato:
            // One message for a wrong name and a wrong password alike.
            return moduloAccesso(request, context, messaggio: "nome o password non validi", nome: nome, stato: .unauthorized)
        case let .bloccato(secondi):
            return moduloAccesso(request, context, messaggio: "troppi tentativi non riusciti per questo nome: riprova tra \(secondi) secondi",
                                 nome: nome, stato: .tooManyRequests)
        }
    }

    func esci(_ request: Request, _ context: ContestoFondi) async throws -> Response {
        let campi = try await Self.campi(request, context)
        guard let s = context.sessione, Self.csrfValido(campi, atteso: s.csrf) else { return vietato(context, "questa richiesta senza token CSRF") }
        if let id = request.cookies[Cookie.sessione]?.value { try await archivio.usa(.scrittura) { try $0.esci(id) } }
        var r = Response.redirect(to: "/accesso", type: .normal)
        r.setCookie(.fondi(Cookie.sessione, "", sicuro: configurazione.dietroProxy, maxAge: 0))
        return r
    }
}

extension String {
    var nonVuoto: String? { isEmpty ? nil : self }
}
