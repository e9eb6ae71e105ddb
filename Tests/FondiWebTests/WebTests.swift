// Goal: `fondi serve` honours DOMAIN §8 in process (HummingbirdTesting): sign-in without leaking which part
// was wrong, sessions, CSRF, roles on the server, the CLI's messages and statuses on every refused form with
// nothing written, idempotent forms, escaping, the security headers, and time-travel pages equal to the CLI's.
import Fondi
import FondiServizi
import FondiStore
import FondiTesting
@testable import FondiWeb
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// A ledger with the example of DOMAIN §5 before the closing, and one user per role.
final class BancoWeb: Sendable {
    let cartella: String
    var percorso: String { cartella + "/registro.sqlite" }
    static let password = "una password lunga abbastanza"

    init() throws {
        cartella = NSTemporaryDirectory() + "fondi-web-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: cartella, withIntermediateDirectories: true)
        let r = try Registro.inizializza(percorso: cartella + "/registro.sqlite").registro
        func d(_ s: String) -> Contesto { Contesto(data: DataContabile(s), atto: "Atto 1", utente: "test", chiave: nil) }
        let sad = LineaChiave(fonte: "FNA-2023", servizio: "SAD", esercizio: 2023)
        _ = try r.registra([
            Passo(comando: .fonteRegistra(codice: "FNA-2023", tipo: "FNA", annualita: 2023, importo: .euro(100_000), vincolata: true, descrizione: nil), contesto: d("2023-01-10")),
            Passo(comando: .servizioRegistra(codice: "SAD", descrizione: "Assistenza domiciliare"), contesto: d("2023-01-10")),
            Passo(comando: .programma(linea: sad, importo: .euro(60_000)), contesto: d("2023-01-15")),
            Passo(comando: .impegna(numero: "2023/1", linea: sad, importo: .euro(50_000), creditore: txt("Coop <script>alert(1)</script>"),
                                    oggetto: "SAD", cig: nil, cup: nil), contesto: d("2023-02-01")),
        ])
        for (nome, ruolo) in [("resp", Ruolo.responsabile), ("oper", .operatore), ("cons", .consultazione)] {
            _ = try r.aggiungiUtente(nome: cod(nome), ruolo: ruolo, password: Self.password, da: "test")
        }
    }

    deinit { try? FileManager.default.removeItem(atPath: cartella) }

    func app(proxy: Bool = false) -> some ApplicationProtocol {
        Application(router: Web.router(archivio: Archivio(percorso: percorso),
                                       configurazione: ConfigurazioneWeb(dietroProxy: proxy, oggi: { DataContabile("2023-06-01") })))
    }

    /// Event count and chain head: what a refused request must leave unchanged.
    func testa() throws -> String {
        let r = try Registro.apri(percorso: percorso, modo: .lettura)
        let t = try r.testa()
        return "\(t.seq) \(Catena.esadecimale(t.hash))"
    }
}

/// A signed-in client: its cookie header and the session's CSRF token.
struct Sessione {
    let cookie: String
    let csrf: String
}

func modulo(_ campi: [(String, String)]) -> ByteBuffer {
    ByteBuffer(string: campi.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&"))
}

let tipoModulo: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

func cookies(_ r: TestResponse) -> [String] { r.headers[values: .setCookie] }

func valoreCookie(_ r: TestResponse, _ nome: String) -> String? {
    for c in cookies(r) where c.hasPrefix(nome + "=") {
        return String(c.dropFirst(nome.count + 1).prefix { $0 != ";" })
    }
    return nil
}

func campoNascosto(_ html: String, _ nome: String) -> String? {
    guard let r = html.range(of: "name=\"\(nome)\" value=\"") else { return nil }
    return String(html[r.upperBound...].prefix { $0 != "\"" })
}

func accedi(_ client: any TestClientProtocol, _ nome: String, password: String = BancoWeb.password) async throws -> (TestResponse, Sessione?) {
    let pagina = try await client.execute(uri: "/accesso", method: .get)
    let pre = try #require(valoreCookie(pagina, "fondi_pre"))
    let csrf = try #require(campoNascosto(String(buffer: pagina.body), "csrf"))
    #expect(csrf == pre)
    var h = tipoModulo
    h[.cookie] = "fondi_pre=\(pre)"
    let r = try await client.execute(uri: "/accesso", method: .post, headers: h, body: modulo([("csrf", csrf), ("nome", nome), ("password", password)]))
    guard let id = valoreCookie(r, "fondi_sessione"), !id.isEmpty else { return (r, nil) }
    let home = try await client.execute(uri: "/comandi", method: .get, headers: [.cookie: "fondi_sessione=\(id)"])
    let token = try #require(campoNascosto(String(buffer: home.body), "csrf"))
    return (r, Sessione(cookie: "fondi_sessione=\(id)", csrf: token))
}

func invia(_ client: any TestClientProtocol, _ s: Sessione, _ percorso: String, _ campi: [(String, String)], csrf: String? = nil) async throws -> TestResponse {
    var h = tipoModulo
    h[.cookie] = s.cookie
    return try await client.execute(uri: percorso, method: .post, headers: h, body: modulo([("csrf", csrf ?? s.csrf)] + campi))
}

struct WebTests {
    @Test func senzaSessioneSiVaAllAccesso() async throws {
        let b = try BancoWeb()
        try await b.app().test(.router) { client in
            for p in ["/", "/saldi", "/residui", "/comandi/impegna", "/verifica", "/eventi/1"] {
                let r = try await client.execute(uri: p, method: .get)
                #expect(r.status == .seeOther && r.headers[.location] == "/accesso", "\(p)")
            }
            let salute = try await client.execute(uri: "/salute", method: .get)
            #expect(String(buffer: salute.body) == #"{"stato":"ok","ultimo_seq":4}"#)
            let r = try await client.execute(uri: "/nessuna-pagina", method: .get)
            #expect(r.status == .seeOther || r.status == .notFound)
        }
    }

    @Test func accessoSenzaDireCosaEraSbagliato() async throws {
        let b = try BancoWeb()
        try await b.app().test(.router) { client in
            let (sbagliata, s1) = try await accedi(client, "resp", password: "password sbagliatissima")
            let (sconosciuto, s2) = try await accedi(client, "nessuno", password: "password sbagliatissima")
            #expect(s1 == nil && s2 == nil)
            #expect(sbagliata.status == .unauthorized && sconosciuto.status == .unauthorized)
            let m1 = String(buffer: sbagliata.body), m2 = String(buffer: sconosciuto.body)
            #expect(m1.contains("nome o password non validi") && m2.contains("nome o password non validi"))
            #expect(m1.replacingOccurrences(of: "resp", with: "X").count == m2.replacingOccurrences(of: "nessuno", with: "X").count)
            // Repeated failures lock the name (429), whether it exists or not; the right password waits too.
            for _ in 0..<4 { _ = try await accedi(client, "resp", password: "password sbagliatissima") }
            let (bloccato, s3) = try await accedi(client, "resp")
            #expect(bloccato.status == .tooManyRequests && s3 == nil)
            let (altro, s4) = try await accedi(client, "oper")
            #expect(altro.status == .seeOther && s4 != nil)
            // Without the pre-session token, the sign-in form is refused.
            let r = try await client.execute(uri: "/accesso", method: .post, headers: tipoModulo,
                                             body: modulo([("csrf", "x"), ("nome", "oper"), ("password", BancoWeb.password)]))
            #expect(r.status == .forbidden && valoreCookie(r, "fondi_sessione") == nil)
        }
    }

    @Test func cookieEIntestazioniDiSicurezza() async throws {
        let b = try BancoWeb()
        try await b.app().test(.router) { client in
            let (r, s) = try await accedi(client, "resp")
            let c = try #require(cookies(r).first { $0.hasPrefix("fondi_sessione=") })
            #expect(c.contains("HttpOnly") && c.contains("SameSite=Strict") && !c.contains("Secure"))
            let pagina = try await client.execute(uri: "/", method: .get, headers: [.cookie: try #require(s).cookie])
            #expect(pagina.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
            #expect(pagina.headers[.xContentTypeOptions] == "nosniff")
            #expect(String(buffer: pagina.body).contains("<form method=\"post\" action=\"/uscita\">"))
        }
        try await b.app(proxy: true).test(.router) { client in
            let (r, _) = try await accedi(client, "resp")
            #expect(cookies(r).first { $0.hasPrefix("fondi_sessione=") }?.contains("Secure") == true)
        }
    }

    @Test func ognìPaginaSiApre() async throws {
        let b = try BancoWeb()
        try await b.app().test(.router) { client in
            let s = try #require(try await accedi(client, "resp").1)
            var pagine = ["/", "/saldi", "/saldi?per=fonte", "/saldi?per=servizio", "/saldi?per=esercizio", "/saldi?per=debitore", "/residui",
                          "/prospetto", "/storia", "/storia?impegno=2023/1", "/verifica", "/comandi", "/utente", "/eventi/1", "/registrato?da=1&a=4",
                          "/residui?al=2023-01-31", "/saldi?fino_a=3", "/prospetto?formato=csv", "/residui?formato=xlsx",
                          "/impegni", "/impegni?q=coop&ordina=creditore&verso=giu", "/impegni?fonte=FNA-2023&servizio=SAD&esercizio=2023",
                          "/impegni?al=2023-12-31&da_pagare=true", "/storia?formato=csv", "/impegno?numero=2023/1", "/impegno?numero=2023/1&al=2023-01-05",
                          "/prenotazioni", "/accertamenti", "/prenotazioni?al=2023-12-31", "/utenti", "/impegni?formato=xlsx", "/storia?dal=01/01/2023&q=sad",
                          "/saldi?col=assegnato&col=libero", "/saldi?colonne=tutte", "/?anno=2023", "/favicon.svg", "/saldi?al=31/12/2023"]
            pagine += Autorizzazione.comandiDiScrittura.map { "/comandi/" + $0.nome.replacingOccurrences(of: " ", with: "-") }
            for p in pagine {
                let r = try await client.execute(uri: p, method: .get, headers: [.cookie: s.cookie])
                #expect(r.status == .ok, "\(p): \(r.status)")
                // An absent value is absent, never printed as "nil".
                #expect(!String(buffer: r.body).contains(">nil<"), "\(p)")
            }
            // Every value is escaped: the creditore with a script tag shows as text.
            let storia = String(buffer: try await client.execute(uri: "/storia?impegno=2023/1", method: .get, headers: [.cookie: s.cookie]).body)
            #expect(storia.contains("&lt;script&gt;") && !storia.contains("<script>"))
            let vista = String(buffer: try await client.execute(uri: "/residui?al=2023-01-31", method: .get, headers: [.cookie: s.cookie]).body)
            #expect(vista.contains("Vista al 31/01/2023") && vista.contains("torna a oggi"))
            // A form about a linea shows its disponibile next to the amount.
            let modulo = String(buffer: try await client.execute(uri: "/comandi/impegna?fonte=FNA-2023&servizio=SAD&esercizio=2023", method: .get,
                                                                 headers: [.cookie: s.cookie]).body)
            #expect(modulo.contains("Disponibile sulla linea FNA-2023/SAD/2023: 10.000,00"))
            // The impegni list finds by creditore, and searches the text as typed (a % is no wildcard).
            let trovati = String(buffer: try await client.execute(uri: "/impegni?q=COOP", method: .get, headers: [.cookie: s.cookie]).body)
            #expect(trovati.contains("1 impegno<") && trovati.contains("2023/1"))
            let nessuno = String(buffer: try await client.execute(uri: "/impegni?q=%25", method: .get, headers: [.cookie: s.cookie]).body)
            #expect(nessuno.contains("0 impegni"))
            let saldi = String(buffer: try await client.execute(uri: "/saldi", method: .get, headers: [.cookie: s.cookie]).body)
            #expect(saldi.contains("/impegni?fonte=FNA-2023&amp;servizio=SAD&amp;esercizio=2023"))
            let errata = try await client.execute(uri: "/saldi?al=2023-02-30", method: .get, headers: [.cookie: s.cookie])
            #expect(errata.status == .unprocessableContent && String(buffer: errata.body).contains("non valida"))
        }
    }

    @Test func moduliComeLaCLI() async throws {
        let b = try BancoWeb()
        try await b.app().test(.router) { client in
            let s = try #require(try await accedi(client, "oper").1)
            let impegno: [(String, String)] = [("numero", "2023/2"), ("fonte", "FNA-2023"), ("servizio", "SAD"), ("esercizio", "2023"),
                                                ("creditore", "Coop Beta"), ("oggetto", "SAD"), ("atto", "Det. 2/2023"), ("data", "2023-03-01")]
            let prima = try b.testa()
            // Refused by a rule: the CLI's message, 422, what was typed kept, nothing written.
            let oltre = try await invia(client, s, "/comandi/impegna", impegno + [("importo", "10.000,01"), ("chiave", "k1")])
            #expect(oltre.status == .unprocessableContent)
            let html = String(buffer: oltre.body)
            #expect(html.contains("impegno 2023/2: importo 10.000,01 supera il disponibile della linea FNA-2023/SAD/2023 (10.000,00)"))
            #expect(html.contains("value=\"Coop Beta\""))
            #expect(try b.testa() == prima)
            // A bad value, a missing field, an unknown field.
            #expect(try await invia(client, s, "/comandi/impegna", impegno + [("importo", "1.234")]).status == .unprocessableContent)
            #expect(try await invia(client, s, "/comandi/impegna", Array(impegno.dropFirst()) + [("importo", "1")]).status == .unprocessableContent)
            #expect(try await invia(client, s, "/comandi/impegna", impegno + [("importo", "1"), ("sconto", "5")]).status == .badRequest)
            // No or a wrong CSRF token: 403.
            #expect(try await invia(client, s, "/comandi/impegna", impegno + [("importo", "1")], csrf: "sbagliato").status == .forbidden)
            var h = tipoModulo
            h[.cookie] = s.cookie
            let senza = try await client.execute(uri: "/comandi/impegna", method: .post, headers: h, body: modulo(impegno + [("importo", "1")]))
            #expect(senza.status == .forbidden)
            #expect(try b.testa() == prima)
            // Accepted: 303 to the impegno it recorded, with the events appended; the same form sent twice records once.
            let ok = try await invia(client, s, "/comandi/impegna", impegno + [("importo", "1.000,00"), ("chiave", "web-k2")])
            #expect(ok.status == .seeOther && ok.headers[.location] == "/impegno?numero=2023%2F2&registrati=5-5")
            let ancora = try await invia(client, s, "/comandi/impegna", impegno + [("importo", "1.000,00"), ("chiave", "web-k2")])
            #expect(ancora.status == .seeOther && ancora.headers[.location] == "/impegno?numero=2023%2F2&registrati=5-5")
            let atterrato = String(buffer: try await client.execute(uri: "/impegno?numero=2023%2F2&registrati=5-5", method: .get, headers: [.cookie: s.cookie]).body)
            #expect(atterrato.contains("Registrato: evento n. 5 aggiunto alla catena.") && atterrato.contains("/registrato?da=5&amp;a=5"))
            #expect(try b.testa().hasPrefix("5 "))
            let r = try Registro.apri(percorso: b.percorso, modo: .lettura)
            var utente = ""
            try r.leggiEventi(da: 5, fino: 5) { utente = $0.utente }
            #expect(utente == "oper")
        }
    }

    @Test func ruoliSulServer() async throws {
        let b = try BancoWeb()
        try await b.app().test(.router) { client in
            let cons = try #require(try await accedi(client, "cons").1)
            let oper = try #require(try await accedi(client, "oper").1)
            let prima = try b.testa()
            let programma: [(String, String)] = [("fonte", "FNA-2023"), ("servizio", "SAD"), ("esercizio", "2023"), ("importo", "1"), ("atto", "A")]
            #expect(try await invia(client, oper, "/comandi/programma", programma).status == .forbidden)
            #expect(try await client.execute(uri: "/comandi/programma", method: .get, headers: [.cookie: oper.cookie]).status == .forbidden)
            #expect(try await invia(client, cons, "/comandi/paga", [("mandato", "M1"), ("liquidazione", "L1"), ("importo", "1")]).status == .forbidden)
            #expect(try await invia(client, cons, "/comandi/chiudi", [("esercizio", "2023"), ("atto", "A")]).status == .forbidden)
            #expect(try b.testa() == prima)
            // Reads are everyone's.
            #expect(try await client.execute(uri: "/prospetto", method: .get, headers: [.cookie: cons.cookie]).status == .ok)
            // Sign-out ends the session.
            #expect(try await invia(client, cons, "/uscita", []).status == .seeOther)
            #expect(try await client.execute(uri: "/", method: .get, headers: [.cookie: cons.cookie]).status == .seeOther)
        }
    }

    /// `?al=` and `?fino_a=` pages give the CLI's answer: the same tables the CLI computes through `Vista`.
    /// The impegno page: figures, liquidazioni, mandati and trail from the impegno's own events, at any time.
    @Test func paginaDellImpegno() async throws {
        let b = try BancoWeb()
        let r = try Registro.apri(percorso: b.percorso, modo: .scrittura)
        let c = { (d: String) in Contesto(data: DataContabile(d), atto: "Det. 9", utente: "test", chiave: nil) }
        _ = try r.registra([
            Passo(comando: .liquida(numero: "L1", impegno: "2023/1", importo: .euro(20_000), documento: "Fatt. 12"), contesto: c("2023-03-01")),
            Passo(comando: .paga(mandato: "M1", liquidazione: "L1", importo: .euro(15_000)), contesto: c("2023-03-10")),
            Passo(comando: .impegnoRiduci(impegno: "2023/1", importo: .euro(1_000), motivo: "ribasso"), contesto: c("2023-04-01")),
        ])
        try await b.app().test(.router) { client in
            let s = try #require(try await accedi(client, "cons").1)
            let html = String(buffer: try await client.execute(uri: "/impegno?numero=2023%2F1", method: .get, headers: [.cookie: s.cookie]).body)
            #expect(html.contains("L1") && html.contains("M1") && html.contains("ribasso"))
            // impegnato 49.000, liquidato 20.000, pagato 15.000, da pagare 34.000
            for cifra in ["49.000,00", "20.000,00", "15.000,00", "34.000,00"] { #expect(html.contains(cifra), "\(cifra)") }
            #expect(html.contains("href=\"/eventi/5\"") && html.contains("&lt;script&gt;") && !html.contains("<script>"))
            let prima = String(buffer: try await client.execute(uri: "/impegno?numero=2023/1&al=2023-03-05", method: .get, headers: [.cookie: s.cookie]).body)
            #expect(prima.contains("L1") && !prima.contains("M1") && prima.contains("Vista al 05/03/2023"))
            // The verification shown as it goes, then its result.
            let verifica = String(buffer: try await client.execute(uri: "/verifica?avanzamento=1", method: .get, headers: [.cookie: s.cookie]).body)
            #expect(verifica.contains("verificati 7 eventi su 7 (100%)") && verifica.contains("catena integra"))
            #expect(verifica.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("</html>"))
            // The cruscotto's month chart: impegni assunti net of riduzioni, mandati emessi, by their dates.
            let cruscotto = String(buffer: try await client.execute(uri: "/", method: .get, headers: [.cookie: s.cookie]).body)
            #expect(cruscotto.contains("Impegni assunti e mandati emessi per mese, 2023"))
            #expect(cruscotto.contains("feb 2023 — impegnato: 50.000,00") && cruscotto.contains("mar 2023 — pagato: 15.000,00 (da inizio anno 15.000,00)"))
            #expect(cruscotto.contains("apr 2023 — impegnato: -1.000,00 (da inizio anno 49.000,00)"))
            let ignoto = try await client.execute(uri: "/impegno?numero=2099/9", method: .get, headers: [.cookie: s.cookie])
            #expect(ignoto.status == .unprocessableContent && String(buffer: ignoto.body).contains("impegno &#39;2099/9&#39; sconosciuto"))
        }
    }

    @Test func viaggioNelTempoComeLaCLI() async throws {
        let b = try BancoWeb()
        try await b.app().test(.router) { client in
            let s = try #require(try await accedi(client, "cons").1)
            for (query, al, fino): (String, DataContabile?, Int64?) in [("al=2023-01-31", DataContabile("2023-01-31"), nil), ("fino_a=3", nil, 3),
                                                                        ("al=2023-12-31&fino_a=4", DataContabile("2023-12-31"), 4)] {
                let r = try await client.execute(uri: "/saldi?per=fonte&formato=csv&\(query)", method: .get, headers: [.cookie: s.cookie])
                let registro = try Registro.apri(percorso: b.percorso, modo: .lettura)
                let stato = try Vista.stato(registro, al: al, fino: fino, impegni: false, avviso: { _ in })
                // The page's CSV is for Italian spreadsheets (`;`, BOM, decimal comma), cassa "—" where a fonte has no entrate.
                #expect(String(buffer: r.body) == Rendering.csvItaliano([Pagine.cassaOnesta(stato.saldi(per: .fonte, filtri: Filtri()))]), "\(query)")
            }
        }
    }

    /// The closing wizard: choices per impegno, a preview that writes nothing, one transaction on confirmation.
    @Test func chiusuraGuidata() async throws {
        let b = try BancoWeb()
        try await b.app().test(.router) { client in
            let oper = try #require(try await accedi(client, "oper").1)
            #expect(try await client.execute(uri: "/chiusura", method: .get, headers: [.cookie: oper.cookie]).status == .forbidden)
            let s = try #require(try await accedi(client, "resp").1)
            let scelta = String(buffer: try await client.execute(uri: "/chiusura", method: .get, headers: [.cookie: s.cookie]).body)
            #expect(scelta.contains("<option value=\"2023\">2023</option>"))
            let pagina = String(buffer: try await client.execute(uri: "/chiusura?esercizio=2023", method: .get, headers: [.cookie: s.cookie]).body)
            #expect(pagina.contains("name=\"impegno_0\" value=\"2023/1\""))
            let chiave = try #require(campoNascosto(pagina, "chiave"))
            let scelte: [(String, String)] = [("esercizio", "2023"), ("chiave", chiave), ("impegno_0", "2023/1"), ("azione_0", "reimputare"),
                                              ("importo_0", "20.000,00"), ("anno_0", "2024"), ("numero_0", "2024/1"), ("motivo_0", ""),
                                              ("atto", "Del. G.C. 5/2024"), ("data", "2024-02-15")]
            let prima = try b.testa()
            let anteprima = try await invia(client, s, "/chiusura", scelte + [("passo", "anteprima")])
            let html = String(buffer: anteprima.body)
            #expect(anteprima.status == .ok && html.contains("Anteprima") && html.contains("Impegno reimputato") && html.contains("FPV 20.000,00"))
            #expect(html.contains("Residui passivi 30.000,00"))
            #expect(try b.testa() == prima)
            // A wrong choice comes back with the CLI's message, nothing written.
            var errate = scelte
            errate[4] = ("importo_0", "50.000,01")
            let rifiuto = try await invia(client, s, "/chiusura", errate + [("passo", "anteprima")])
            #expect(rifiuto.status == .unprocessableContent && String(buffer: rifiuto.body).contains("supera il da liquidare (50.000,00)"))
            // Irreversible: without the esercizio typed again, nothing is written.
            let senza = try await invia(client, s, "/chiusura", scelte + [("passo", "conferma"), ("conferma_esercizio", "")])
            #expect(senza.status == .unprocessableContent && String(buffer: senza.body).contains("scrivi l&#39;esercizio 2023"))
            let sbagliata = try await invia(client, s, "/chiusura", scelte + [("passo", "conferma"), ("conferma_esercizio", "2024")])
            #expect(sbagliata.status == .unprocessableContent)
            #expect(try b.testa() == prima)
            let conferma = try await invia(client, s, "/chiusura", scelte + [("passo", "conferma"), ("conferma_esercizio", "2023")])
            #expect(conferma.status == .seeOther && conferma.headers[.location] == "/registrato?da=5&a=8")
            // Sent again (a double click), it records nothing more.
            _ = try await invia(client, s, "/chiusura", scelte + [("passo", "conferma"), ("conferma_esercizio", "2023")])
            #expect(try b.testa().hasPrefix("8 "))
            let fatto = String(buffer: try await client.execute(uri: "/registrato?da=5&a=8", method: .get, headers: [.cookie: s.cookie]).body)
            #expect(fatto.contains("Hash di chiusura da riportare nell'atto"))
        }
    }
}
