import Fondi
import FondiServizi
import FondiStore
import Foundation
import HTTPTypes
import Hummingbird

/// `/utente` (everyone's own password) and `/utenti` (the responsabile's: add, deactivate, reset a password,
/// issue and revoke API tokens), issue 21. The same store calls and messages as `fondi utente …`; every form
/// carries the session's CSRF token; passwords and tokens are never logged and never put in a URL.
extension Pagine {
    func utente(_ context: ContestoFondi, messaggio: String? = nil, ok: String? = nil, stato: HTTPResponse.Status = .ok) -> Response {
        let u = context.sessione!.utente
        let e = Self.escape
        var corpo = "<p>Hai eseguito l'accesso come <b>\(e(u.nome))</b>, ruolo <b>\(e(u.ruolo.rawValue))</b>.</p>"
        if let ok { corpo += "<p class=\"ok\" role=\"status\">\(e(ok))</p>" }
        if let messaggio { corpo += "<p class=\"errore\" role=\"alert\">\(e(messaggio))</p>" }
        corpo += """
            <h2>Cambia la tua password</h2>
            <form method="post" action="/utente" class="modulo stretto" novalidate>
            <input type="hidden" name="csrf" value="\(e(context.sessione!.csrf))">
            <div class="campo"><label for="attuale">Password attuale</label><input id="attuale" name="attuale" type="password" autocomplete="current-password" required></div>
            <div class="campo"><label for="nuova">Nuova password</label><input id="nuova" name="nuova" type="password" autocomplete="new-password" required aria-describedby="aiuto-nuova">
            <small id="aiuto-nuova">almeno 12 caratteri; una frase è più facile da ricordare</small></div>
            <div class="campo"><label for="ripeti">Ripeti la nuova password</label><input id="ripeti" name="ripeti" type="password" autocomplete="new-password" required></div>
            <p><button>Cambia la password</button></p></form>
            <p class="nota">Dopo il cambio tutte le tue sessioni si chiudono: accedi di nuovo con la nuova password.</p>
            """
        return pagina("Il tuo profilo", corpo, context, stato: stato)
    }

    /// `POST /utente`: the current password is checked like a sign-in (the same lock after repeated failures).
    func inviaPassword(_ request: Request, _ context: ContestoFondi) async -> Response {
        let campi: [(String, String)]
        do { campi = try await Self.campi(request, context) } catch { return errore(error, context) }
        guard let s = context.sessione, Self.csrfValido(campi, atteso: s.csrf) else { return vietato(context, "questa richiesta senza token CSRF") }
        var f: [String: String] = [:]
        for (k, v) in campi where f[k] == nil { f[k] = v }
        guard let nuova = f["nuova"], !nuova.isEmpty, nuova == f["ripeti"] else {
            return utente(context, messaggio: "nuova password: mancante, oppure diversa da quella ripetuta; nulla è cambiato", stato: .unprocessableContent)
        }
        do {
            guard let nome = Codice(validando: s.utente.nome) else { throw ErroreValore("nome utente non valido") }
            let attuale = f["attuale"] ?? ""
            let esito = try await archivio.usa(.scrittura) { r -> Registro.EsitoAccesso in
                let esito = try r.accedi(nome: nome.testo, password: attuale)
                if case let .entrato(sessione, _, _) = esito {
                    try r.cambiaPassword(nome: nome, password: nuova, da: "web:" + nome.testo)
                    try? r.esci(sessione)
                }
                return esito
            }
            switch esito {
            case .entrato: break
            case .rifiutato: return utente(context, messaggio: "password attuale non valida; nulla è cambiato", stato: .unprocessableContent)
            case let .bloccato(secondi): return utente(context, messaggio: "troppi tentativi non riusciti: riprova tra \(secondi) secondi", stato: .tooManyRequests)
            }
            var r = Response.redirect(to: "/accesso", type: .normal)
            r.setCookie(.fondi(Cookie.sessione, "", sicuro: configurazione.dietroProxy, maxAge: 0))
            return r
        } catch {
            return utente(context, messaggio: messaggio(di: error) + "; nulla è cambiato", stato: Self.stato(error))
        }
    }

    /// `/utenti`: the users with their role and state, an action form on each, and the form to add one.
    func utenti(_ context: ContestoFondi, messaggio: String? = nil, ok: String? = nil, token: (nome: String, valore: String)? = nil,
                stato: HTTPResponse.Status = .ok) async -> Response {
        guard let s = context.sessione, s.utente.ruolo >= .responsabile else { return vietato(context, "la gestione degli utenti") }
        do {
            let tutti = try await archivio.usa(.lettura) { try $0.utenti() }
            let e = Self.escape, csrf = e(s.csrf)
            var corpo = ""
            if let ok { corpo += "<p class=\"ok\" role=\"status\">\(e(ok))</p>" }
            if let messaggio { corpo += "<p class=\"errore\" role=\"alert\">\(e(messaggio))</p>" }
            if let token {
                corpo += "<div class=\"riepilogo\"><p>Token per l'API di <b>\(e(token.nome))</b>, mostrato <b>una sola volta</b>: copialo ora.</p><p><code class=\"hash-grande\">\(e(token.valore))</code></p></div>"
            }
            corpo += "<section class=\"tabella\"><table><thead><tr><th>Nome</th><th>Ruolo</th><th>Stato</th><th>Creato il</th><th>Azioni</th></tr></thead><tbody>"
            for u in tutti {
                let nome = e(u.nome)
                func bottone(_ azione: String, _ testo: String) -> String {
                    "<form method=\"post\" action=\"/utenti\" class=\"in-riga\"><input type=\"hidden\" name=\"csrf\" value=\"\(csrf)\"><input type=\"hidden\" name=\"nome\" value=\"\(nome)\"><button name=\"azione\" value=\"\(azione)\">\(testo)</button></form>"
                }
                let azioni = u.attivo ? bottone("token", "Crea token API") + bottone("revoca", "Revoca i token") + (u.nome == s.utente.nome ? "" : bottone("disattiva", "Disattiva")) : ""
                let reimposta = u.attivo ? """
                    <form method="post" action="/utenti" class="in-riga"><input type="hidden" name="csrf" value="\(csrf)"><input type="hidden" name="nome" value="\(nome)">
                    <label>Nuova password per \(nome) <input name="password" type="password" autocomplete="new-password" size="14"></label><button name="azione" value="password">Reimposta</button></form>
                    """ : ""
                corpo += "<tr><td>\(nome)</td><td>\(e(u.ruolo.rawValue))</td><td>\(u.attivo ? "attivo" : "disattivato")</td><td>\(e(Self.oraLocale(u.creatoIl)))</td><td>\(azioni)\(reimposta)</td></tr>"
            }
            corpo += "</tbody></table></section>"
            let ruoli = Ruolo.allCases.map { "<option value=\"\($0.rawValue)\"\($0 == .operatore ? " selected" : "")>\($0.rawValue)</option>" }.joined()
            corpo += """
                <h2>Aggiungi un utente</h2>
                <form method="post" action="/utenti" class="modulo stretto" novalidate><input type="hidden" name="csrf" value="\(csrf)">
                <div class="campo"><label for="nome">Nome</label><input id="nome" name="nome" required autocomplete="off" aria-describedby="aiuto-nome"><small id="aiuto-nome">lettere senza accenti, cifre e - _ . /</small></div>
                <div class="campo"><label for="ruolo">Ruolo</label><select id="ruolo" name="ruolo">\(ruoli)</select></div>
                <div class="campo"><label for="password">Password iniziale</label><input id="password" name="password" type="password" autocomplete="new-password" required aria-describedby="aiuto-password"><small id="aiuto-password">almeno 12 caratteri; comunicala alla persona, che potrà cambiarla dal suo profilo</small></div>
                <p><button name="azione" value="aggiungi">Aggiungi</button></p></form>
                """
            return pagina("Utenti", corpo, context, stato: stato)
        } catch {
            return errore(error, context)
        }
    }

    /// `POST /utenti`: one action of the responsabile, recorded in the users' log as `web:NAME`.
    func inviaUtenti(_ request: Request, _ context: ContestoFondi) async -> Response {
        let campi: [(String, String)]
        do { campi = try await Self.campi(request, context) } catch { return errore(error, context) }
        guard let s = context.sessione, Self.csrfValido(campi, atteso: s.csrf) else { return vietato(context, "questa richiesta senza token CSRF") }
        guard s.utente.ruolo >= .responsabile else { return vietato(context, "la gestione degli utenti") }
        var f: [String: String] = [:]
        for (k, v) in campi where f[k] == nil { f[k] = v }
        let da = "web:" + s.utente.nome
        do {
            let nome = try Codice(f["nome"] ?? "", campo: "nome")
            let password = f["password"] ?? ""
            switch f["azione"] ?? "" {
            case "aggiungi":
                guard let ruolo = Ruolo(rawValue: f["ruolo"] ?? "") else { throw ErroreValore("ruolo '\(Testo.visibile(f["ruolo"] ?? ""))' non valido: usa \(Ruolo.allCases.map(\.rawValue).joined(separator: ", "))") }
                _ = try await archivio.usa(.scrittura) { try $0.aggiungiUtente(nome: nome, ruolo: ruolo, password: password, da: da) }
                return await utenti(context, ok: "utente \(nome) aggiunto con ruolo \(ruolo.rawValue)")
            case "disattiva":
                guard nome.testo != s.utente.nome else { throw ErroreValore("non puoi disattivare te stesso: chiedilo a un altro responsabile") }
                try await archivio.usa(.scrittura) { try $0.disattivaUtente(nome: nome, da: da) }
                return await utenti(context, ok: "utente \(nome) disattivato: sessioni chiuse e token revocati")
            case "password":
                try await archivio.usa(.scrittura) { try $0.cambiaPassword(nome: nome, password: password, da: da) }
                return await utenti(context, ok: "password di \(nome) reimpostata; le sue sessioni sono chiuse")
            case "token":
                let t = try await archivio.usa(.scrittura) { try $0.nuovoToken(nome: nome, da: da) }
                return await utenti(context, token: (nome.testo, t))
            case "revoca":
                let n = try await archivio.usa(.scrittura) { try $0.revocaToken(nome: nome, da: da) }
                return await utenti(context, ok: "token di \(nome) revocati: \(n)")
            default:
                throw ErroreValore("azione '\(Testo.visibile(f["azione"] ?? ""))' non valida")
            }
        } catch {
            return await utenti(context, messaggio: messaggio(di: error) + "; nulla è cambiato", stato: Self.stato(error))
        }
    }
}
