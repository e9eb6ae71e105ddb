import Fondi
import FondiServizi
import FondiStore
import FondiTesting
@testable import FondiWeb
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Issue 21, the officer's screen, through the router: menus by role, forms that say every missing field at once,
/// actions filled in from a record, landing on what was recorded, downloads for Italian spreadsheets, the storia
/// paged newest first, the users' pages, a real 404. The real browser (Tests/Browser) checks the layout.
struct SchermoTests {
    func get(_ client: some TestClientProtocol, _ s: Sessione, _ uri: String) async throws -> (HTTPResponse.Status, String) {
        let r = try await client.execute(uri: uri, method: .get, headers: [.cookie: s.cookie])
        return (r.status, String(buffer: r.body))
    }

    @Test func ilMenuMostraSoloCioCheIlRuoloPuoFare() async throws {
        let b = try BancoWeb()
        try await b.app().test(.router) { client in
            for (nome, comandi, chiusura) in [("cons", false, false), ("oper", true, false), ("resp", true, true)] {
                let s = try #require(try await accedi(client, nome).1)
                let (_, html) = try await get(client, s, "/")
                #expect(html.contains("href=\"/comandi\"") == comandi, "\(nome)")
                #expect(html.contains("href=\"/chiusura\"") == chiusura && html.contains("href=\"/utenti\"") == chiusura, "\(nome)")
                #expect(html.contains("action=\"/uscita\"") && html.contains("class=\"salta\" href=\"#contenuto\""))
            }
        }
    }

    @Test func unModuloDiceOgniCampoMancanteInsieme() async throws {
        let b = try BancoWeb()
        try await b.app().test(.router) { client in
            let s = try #require(try await accedi(client, "oper").1)
            let prima = try b.testa()
            let r = try await invia(client, s, "/comandi/impegna", [("fonte", "FNA-2023"), ("chiave", "k")])
            let html = String(buffer: r.body)
            #expect(r.status == .unprocessableContent)
            for campo in ["Numero", "Servizio", "Importo", "Creditore", "Oggetto", "Atto"] {
                #expect(html.contains("\(campo): campo obbligatorio, da compilare"), "\(campo)")
            }
            #expect(html.contains("Mancano 7 campi") && !html.contains("--"), "no command-line syntax on a page")
            #expect(try b.testa() == prima)
            // The form marks required fields, defaults the esercizio to the open one, the date into it, suggests the number.
            let (_, vuoto) = try await get(client, s, "/comandi/impegna")
            #expect(vuoto.contains("name=\"numero\" type=\"text\" value=\"2023/2\""), "next impegno number")
            #expect(vuoto.contains("name=\"esercizio\" type=\"text\" value=\"2023\""))
            #expect(vuoto.contains("name=\"data\" type=\"text\" value=\"01/06/2023\""))
            #expect(vuoto.contains("required") && vuoto.contains("<option value=\"SAD\">Assistenza domiciliare</option>"))
            // A date typed the Italian way is read as such.
            let ok = try await invia(client, s, "/comandi/impegna", [("numero", "2023/2"), ("fonte", "FNA-2023"), ("servizio", "SAD"), ("esercizio", "2023"),
                                                                     ("importo", "10,00"), ("creditore", "C"), ("oggetto", "O"), ("atto", "Det. 9"),
                                                                     ("data", "3/4/2023"), ("chiave", "web-data")])
            #expect(ok.status == .seeOther)
            let r2 = try Registro.apri(percorso: b.percorso, modo: .lettura)
            var data: DataContabile?
            try r2.leggiEventi(da: 5, fino: 5) { data = $0.data }
            #expect(data == DataContabile("2023-04-03"))
        }
    }

    @Test func leCifreAccantoAllImportoSeguonoICampi() async throws {
        let b = try BancoWeb()
        try await b.app().test(.router) { client in
            // The script is public, same-origin and the only one the policy allows.
            let js = try await client.execute(uri: "/fondi.js", method: .get)
            #expect(js.status == .ok && js.headers[.contentType]?.hasPrefix("text/javascript") == true)
            #expect(String(buffer: js.body).contains("textContent") && !String(buffer: js.body).contains("innerHTML"))
            #expect(js.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
            // Without a session: the sign-in page, no figures.
            let anonimo = try await client.execute(uri: "/cifre?fonte=FNA-2023&servizio=SAD", method: .get)
            #expect(anonimo.status == .seeOther)
            let s = try #require(try await accedi(client, "cons").1)
            let (stato, linea) = try await get(client, s, "/cifre?fonte=FNA-2023&servizio=SAD&esercizio=2023")
            #expect(stato == .ok && linea.hasPrefix("Disponibile sulla linea FNA-2023/SAD/2023: "), "\(linea)")
            let (_, senzaEsercizio) = try await get(client, s, "/cifre?fonte=FNA-2023&servizio=SAD")
            #expect(senzaEsercizio == linea, "the esercizio defaults to the earliest open one, as in the form")
            let (_, impegno) = try await get(client, s, "/cifre?impegno=2023%2F1")
            #expect(impegno.contains("Impegno 2023/1 a Coop <script>alert(1)</script>: impegnato 50.000,00"), "plain text; the script writes it as text")
            for ostile in ["/cifre?fonte=" + String(repeating: "x", count: 5000), "/cifre?esercizio=99999999999999999999", "/cifre?impegno=%00%FF", "/cifre?altro=1"] {
                let (st, t) = try await get(client, s, ostile)
                #expect(st == .ok && t.isEmpty, "\(ostile)")
            }
            // The form renders the same figures when it opens, in the box the script refreshes.
            let o = try #require(try await accedi(client, "oper").1)
            let (_, modulo) = try await get(client, o, "/comandi/impegna?fonte=FNA-2023&servizio=SAD&esercizio=2023")
            #expect(modulo.contains("id=\"cifre\" aria-live=\"polite\">Disponibile sulla linea FNA-2023/SAD/2023"))
            #expect(modulo.contains("<script src=\"/fondi.js\" defer></script>"))
            // A liquidazione to pay is offered as you type in the paga form, with what is left to pay.
            let r = try await invia(client, o, "/comandi/liquida", [("numero", "L-1"), ("impegno", "2023/1"), ("importo", "1.000,00"), ("atto", "Det. L"),
                                                                    ("data", "2023-07-01"), ("chiave", "web-l1")])
            #expect(r.status == .seeOther)
            let (_, paga) = try await get(client, o, "/comandi/paga")
            #expect(paga.contains("list=\"liquidazioni\"") && paga.contains("<option value=\"L-1\">impegno 2023/1 — da pagare 1.000,00</option>"))
            let (_, pagata) = try await get(client, o, "/cifre?liquidazione=L-1")
            #expect(pagata == "Liquidazione L-1 sull'impegno 2023/1: da pagare 1.000,00")
        }
    }

    @Test func ilRiaccertamentoSiFiltraELeSceltePerTutteValgonoPerLeRigheMostrate() async throws {
        let b = try BancoWeb()
        try await b.app().test(.router) { client in
            let s = try #require(try await accedi(client, "resp").1)
            let r = try await invia(client, s, "/comandi/impegna", [("numero", "2023/2"), ("fonte", "FNA-2023"), ("servizio", "SAD"), ("esercizio", "2023"),
                                                                    ("importo", "10,00"), ("creditore", "Ditta Beta"), ("oggetto", "O"), ("atto", "Det. 2"),
                                                                    ("data", "2023-03-01"), ("chiave", "web-beta")])
            #expect(r.status == .seeOther)
            let prima = try b.testa()
            let righe: [(String, String)] = [("esercizio", "2023"), ("chiave", "web-chiusura"), ("atto", ""), ("data", ""),
                                             ("impegno_0", "2023/1"), ("azione_0", "mantenere"), ("importo_0", "50.000,00"), ("anno_0", "2024"),
                                             ("numero_0", "2024/da-2023-1"), ("motivo_0", ""),
                                             ("impegno_1", "2023/2"), ("azione_1", "mantenere"), ("importo_1", "10,00"), ("anno_1", "2024"),
                                             ("numero_1", "2024/da-2023-2"), ("motivo_1", "")]
            let filtrata = String(buffer: try await invia(client, s, "/chiusura", righe + [("filtro", "beta"), ("provenienza", ""), ("passo", "filtra")]).body)
            #expect(filtrata.contains("1 di 2 mostrate") && filtrata.contains("<tr hidden><td><input type=\"hidden\" name=\"impegno_0\" value=\"2023/1\">"))
            #expect(filtrata.contains("<tr><td><input type=\"hidden\" name=\"impegno_1\" value=\"2023/2\">") && filtrata.contains("Togli il filtro"))
            #expect(filtrata.contains("name=\"filtro_applicato\" value=\"beta\""))
            // "Reimputa tutti" reimputes the rows shown; the hidden one keeps its choice, and is still in the form.
            // The bulk choice follows the filter the table was drawn with, not one typed and not applied.
            let tutte = String(buffer: try await invia(client, s, "/chiusura", righe + [("filtro", "zzz"), ("filtro_applicato", "beta"),
                                                                                        ("passo", "tutti_reimputare")]).body)
            let azioni = tutte.components(separatedBy: "name=\"azione_").dropFirst().map { $0.contains("value=\"reimputare\" selected") }
            #expect(azioni == [false, true], "\(azioni)")
            #expect(tutte.contains("Per la riga mostrata"))
            let tolto = String(buffer: try await invia(client, s, "/chiusura", righe + [("filtro_applicato", "beta"), ("passo", "togli_filtro")]).body)
            #expect(!tolto.contains("<tr hidden>") && tolto.contains("2 di 2 mostrate"))
            #expect(try b.testa() == prima, "filtering writes nothing")
        }
    }

    @Test func ogniSommaPortaACioCheLaCompone() async throws {
        let b = try BancoWeb()
        try await b.app().test(.router) { client in
            let s = try #require(try await accedi(client, "cons").1)
            let (_, saldi) = try await get(client, s, "/saldi?per=linea")
            let link = "/impegni?fonte=FNA-2023&amp;servizio=SAD&amp;esercizio=2023"
            #expect(saldi.contains("<a href=\"\(link)\">50.000,00</a>"), "impegnato of the linea links to its impegni")
            #expect(!saldi.contains(">10.000,00</a>"), "the disponibile is a difference, not a sum: no link")
            let (_, impegni) = try await get(client, s, link.replacingOccurrences(of: "&amp;", with: "&"))
            #expect(impegni.contains("1 impegno") && impegni.contains("2023/1") && impegni.contains("50.000,00"))
            // The report's filters go with the link: the figure is of esercizio 2023, so is the list.
            let (_, filtrato) = try await get(client, s, "/saldi?per=fonte&esercizio=2023")
            #expect(filtrato.contains("<a href=\"/impegni?fonte=FNA-2023&amp;esercizio=2023\">50.000,00</a>"), "\(filtrato)")
            // A view of the past lets settled impegni go, so its impegni could not add up to the figure: no link.
            let (_, passato) = try await get(client, s, "/saldi?per=fonte&al=2023-03-01")
            #expect(passato.contains("50.000,00") && !passato.contains(">50.000,00</a>"))
        }
    }

    @Test func leAzioniDiUnImpegnoApronoIModuliCompilati() async throws {
        let b = try BancoWeb()
        try await b.app().test(.router) { client in
            let cons = try #require(try await accedi(client, "cons").1)
            let (_, letto) = try await get(client, cons, "/impegno?numero=2023/1")
            #expect(!letto.contains("/comandi/liquida?"), "consultazione sees no write action")
            let s = try #require(try await accedi(client, "resp").1)
            let (_, html) = try await get(client, s, "/impegno?numero=2023/1")
            #expect(html.contains("/comandi/liquida?impegno=2023%2F1&amp;importo=50.000%2C00"))
            #expect(html.contains("/comandi/impegno-riduci?impegno=2023%2F1") && html.contains("/comandi/impegno-reimputa?impegno=2023%2F1"))
            let (_, modulo) = try await get(client, s, "/comandi/liquida?impegno=2023%2F1&importo=50.000%2C00")
            #expect(modulo.contains("name=\"impegno\" type=\"text\" value=\"2023/1\"") && modulo.contains("value=\"50.000,00\""))
            #expect(modulo.contains("Impegno 2023/1 a Coop &lt;script&gt;alert(1)&lt;/script&gt;: impegnato 50.000,00, da liquidare 50.000,00"))
            // Irreversible acts ask for the number again; without it nothing is written.
            let prima = try b.testa()
            let (_, reimputa) = try await get(client, s, "/comandi/impegno-reimputa?impegno=2023%2F1")
            #expect(reimputa.contains("name=\"conferma\""))
            let campi = [("impegno", "2023/1"), ("importo", "1,00"), ("esercizio", "2024"), ("numero", "2024/1"), ("atto", "Del. 1"), ("chiave", "web-r")]
            let rifiuto = try await invia(client, s, "/comandi/impegno-reimputa", campi + [("conferma", "2023/9")])
            #expect(rifiuto.status == .unprocessableContent && String(buffer: rifiuto.body).contains("la conferma non corrisponde"))
            #expect(try b.testa() == prima)
        }
    }

    @Test func scaricamentiPerIlFoglioDiCalcoloItaliano() async throws {
        let b = try BancoWeb()
        try await b.app().test(.router) { client in
            let s = try #require(try await accedi(client, "cons").1)
            let csv = try await client.execute(uri: "/impegni?formato=csv&fonte=FNA-2023", method: .get, headers: [.cookie: s.cookie])
            let testo = String(buffer: csv.body)
            #expect(testo.hasPrefix("\u{FEFF}Impegno;Fonte;Servizio;Esercizio;Creditore"))
            #expect(testo.contains(";50000,00;"))
            #expect(csv.headers[.contentDisposition] == "attachment; filename=\"impegni-fonte-FNA-2023.csv\"")
            let xlsx = try await client.execute(uri: "/saldi?per=servizio&esercizio=2023&al=2023-12-31&formato=xlsx", method: .get, headers: [.cookie: s.cookie])
            #expect(xlsx.headers[.contentDisposition] == "attachment; filename=\"saldi-per-servizio-esercizio-2023-al-2023-12-31.xlsx\"")
        }
    }

    @Test func laStoriaEPaginataDallaPiuRecente() async throws {
        let b = try BancoWeb()
        let r = try Registro.apri(percorso: b.percorso, modo: .scrittura)
        let sad = LineaChiave(fonte: "FNA-2023", servizio: "SAD", esercizio: 2023)
        _ = try r.registra((1...120).map { k in
            Passo(comando: .programma(linea: sad, importo: .euro(1)), contesto: Contesto(data: DataContabile("2023-03-01"), atto: txt("A\(k)"), utente: "test", chiave: nil))
        })
        try await b.app().test(.router) { client in
            let s = try #require(try await accedi(client, "cons").1)
            let (_, prima) = try await get(client, s, "/storia")
            #expect(prima.contains(">124</a>") && !prima.contains(">74</a>") && prima.contains("prima=75"), "50 a page, newest first")
            let (_, seconda) = try await get(client, s, "/storia?prima=75")
            #expect(seconda.contains(">74</a>") && seconda.contains(">25</a>") && !seconda.contains(">24</a>"))
            let (_, filtrata) = try await get(client, s, "/storia?tipo=ImpegnoAssunto")
            #expect(filtrata.contains("Impegno assunto") && filtrata.contains(">4</a>") && !filtrata.contains(">5</a>"))
            let (stato, _) = try await get(client, s, "/storia?tipo=Boh")
            #expect(stato == .unprocessableContent)
        }
    }

    @Test func unPercorsoIgnotoEUnaPaginaVera() async throws {
        let b = try BancoWeb()
        try await b.app().test(.router) { client in
            let s = try #require(try await accedi(client, "cons").1)
            let r = try await client.execute(uri: "/prenotazioni/nulla", method: .get, headers: [.cookie: s.cookie])
            #expect(r.status == .notFound && String(buffer: r.body).contains("Pagina non trovata") && String(buffer: r.body).contains("action=\"/uscita\""))
            #expect(r.headers[.contentSecurityPolicy] != nil)
            let api = try await client.execute(uri: "/api/v1/nulla", method: .get, headers: [.authorization: "Bearer x"])
            #expect(api.status == .unauthorized || api.status == .notFound)
            let icona = try await client.execute(uri: "/favicon.ico", method: .get)
            #expect(icona.status == .ok && icona.headers[.contentType] == "image/svg+xml")
        }
    }

    @Test func ilResponsabileGestisceGliUtenti() async throws {
        let b = try BancoWeb()
        try await b.app().test(.router) { client in
            let oper = try #require(try await accedi(client, "oper").1)
            #expect(try await get(client, oper, "/utenti").0 == .forbidden)
            #expect(try await invia(client, oper, "/utenti", [("azione", "aggiungi"), ("nome", "x"), ("ruolo", "responsabile"), ("password", "una frase lunga abbastanza")]).status == .forbidden)
            let s = try #require(try await accedi(client, "resp").1)
            let aggiunto = try await invia(client, s, "/utenti", [("azione", "aggiungi"), ("nome", "nuova"), ("ruolo", "operatore"), ("password", "una frase lunga abbastanza")])
            #expect(aggiunto.status == .ok && String(buffer: aggiunto.body).contains("utente nuova aggiunto con ruolo operatore"))
            let token = String(buffer: try await invia(client, s, "/utenti", [("azione", "token"), ("nome", "nuova")]).body)
            #expect(token.contains("mostrato <b>una sola volta</b>"))
            let corta = try await invia(client, s, "/utenti", [("azione", "password"), ("nome", "nuova"), ("password", "corta")])
            #expect(corta.status == .unprocessableContent || corta.status == .badRequest)
            #expect(try await invia(client, s, "/utenti", [("azione", "disattiva"), ("nome", "nuova")]).status == .ok)
            #expect(try await accedi(client, "nuova", password: "una frase lunga abbastanza").1 == nil)
            // Everyone changes their own password, knowing the current one.
            let errata = try await invia(client, oper, "/utente", [("attuale", "sbagliata"), ("nuova", "un'altra frase lunga"), ("ripeti", "un'altra frase lunga")])
            #expect(errata.status == .unprocessableContent)
            let cambio = try await invia(client, oper, "/utente", [("attuale", BancoWeb.password), ("nuova", "un'altra frase lunga"), ("ripeti", "un'altra frase lunga")])
            #expect(cambio.status == .seeOther)
            #expect(try await accedi(client, "oper", password: "un'altra frase lunga").1 != nil)
        }
    }

    func multipart(_ client: some TestClientProtocol, _ s: Sessione, _ percorso: String, nome: String, contenuto: String, chiave: String) async throws -> TestResponse {
        let confine = "----fondi-prova"
        var corpo = ""
        for (k, v) in [("csrf", s.csrf), ("chiave", chiave)] {
            corpo += "--\(confine)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n"
        }
        corpo += "--\(confine)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(nome)\"\r\nContent-Type: text/csv\r\n\r\n\(contenuto)\r\n--\(confine)--\r\n"
        return try await client.execute(uri: percorso, method: .post, headers: [.cookie: s.cookie, .contentType: "multipart/form-data; boundary=\(confine)"],
                                        body: ByteBuffer(string: corpo))
    }

    @Test func importaDalBrowserTuttoONiente() async throws {
        let b = try BancoWeb()
        try await b.app().test(.router) { client in
            let oper = try #require(try await accedi(client, "oper").1)
            #expect(try await get(client, oper, "/importa").0 == .forbidden)
            let s = try #require(try await accedi(client, "resp").1)
            let intestazione = "\u{FEFF}comando;numero;fonte;servizio;esercizio;importo;creditore;oggetto;atto;data\r\n"
            let buona = "impegna;2023/7;FNA-2023;SAD;2023;100,00;C;O;Det. 7;2023-03-01\r\n"
            let prima = try b.testa()
            // Excel's CSV (BOM, `;`): a line over the disponibile refuses the whole file, naming the line.
            let rifiuto = try await multipart(client, s, "/importa", nome: "comandi.csv", contenuto: intestazione + buona
                                              + "impegna;2023/8;FNA-2023;SAD;2023;99.000,00;C;O;Det. 8;2023-03-01\r\n", chiave: "web-i1")
            let html = String(buffer: rifiuto.body)
            #expect(rifiuto.status == .unprocessableContent && html.contains("riga 3") && html.contains("nulla è stato importato"), "\(html)")
            #expect(try b.testa() == prima)
            let ok = try await multipart(client, s, "/importa", nome: "comandi.csv", contenuto: intestazione + buona, chiave: "web-i2")
            #expect(ok.status == .ok && String(buffer: ok.body).contains("comandi.csv: importate 1 righe, 1 eventi"))
            let r = try Registro.apri(percorso: b.percorso, modo: .lettura)
            var utente = ""
            try r.leggiEventi(da: 5, fino: 5) { utente = $0.utente }
            #expect(utente == "resp")
            // The same form sent again records nothing more; a body that is not multipart is a usage error.
            _ = try await multipart(client, s, "/importa", nome: "comandi.csv", contenuto: intestazione + buona, chiave: "web-i2")
            #expect(try b.testa().hasPrefix("5 "))
            #expect(try await invia(client, s, "/importa", [("file", "x")]).status == .badRequest)
            // A snapshot from the browser.
            let istantanea = try await invia(client, s, "/istantanee", [])
            #expect(istantanea.status == .ok && String(buffer: istantanea.body).contains("istantanea creata al seq 5"))
        }
    }
}

extension SchermoTests {
    /// Hostile multipart bodies: refused with a message, never a crash (each of these once trapped in review).
    @Test func multipartOstileNonFermaIlServer() async throws {
        let b = try BancoWeb()
        try await b.app().test(.router) { client in
            let s = try #require(try await accedi(client, "resp").1)
            let corpi: [(String, String)] = [
                ("multipart/form-data; boundary=", "x"), ("multipart/form-data; boundary=;", "x"), ("multipart/form-data; boundary=B", ""),
                ("multipart/form-data; boundary=B", "--B\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n--B--"),
                ("multipart/form-data; boundary=B", "--B\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n\r\n--B--"),
                ("multipart/form-data; boundary=B", "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\n"),
                ("multipart/form-data; boundary=B", "--B--"), ("multipart/form-data; boundary=\"\"", "--\r\n"),
            ]
            let prima = try b.testa()
            for (tipo, corpo) in corpi {
                let r = try await client.execute(uri: "/importa", method: .post, headers: [.cookie: s.cookie, .contentType: tipo], body: ByteBuffer(string: corpo))
                #expect([.badRequest, .forbidden, .unprocessableContent].contains(r.status), "\(tipo) \(corpo.debugDescription): \(r.status)")
            }
            #expect(try b.testa() == prima)
            // filename before name: the part is still the file.
            let confine = "B"
            let corpo = "--B\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(s.csrf)\r\n--B\r\nContent-Disposition: form-data; filename=\"c.csv\"; name=\"file\"\r\n\r\n"
                + "comando;codice;descrizione;atto\r\nservizio registra;ZZ;Prova;Det. 1\r\n\r\n--B--\r\n"
            let r = try await client.execute(uri: "/importa", method: .post, headers: [.cookie: s.cookie, .contentType: "multipart/form-data; boundary=\(confine)"],
                                             body: ByteBuffer(string: corpo))
            #expect(r.status == .ok && String(buffer: r.body).contains("c.csv: importate 1 righe"), "\(String(buffer: r.body))")
        }
    }

    /// The typed confirmation is the page's: a client posting only the command's fields (DOMAIN §8) is not asked.
    @Test func laConfermaEDellaPagina() async throws {
        let b = try BancoWeb()
        try await b.app().test(.router) { client in
            let s = try #require(try await accedi(client, "resp").1)
            let campi = [("esercizio", "2023"), ("atto", "Del. 1/2024"), ("data", "2024-02-01")]
            let vuota = try await invia(client, s, "/comandi/chiudi", campi + [("chiave", "web-c1"), ("conferma", "")])
            #expect(vuota.status == .unprocessableContent && String(buffer: vuota.body).contains("Conferma non valida"))
            let senza = try await invia(client, s, "/comandi/chiudi", campi + [("chiave", "web-c2")])
            #expect(senza.status == .seeOther)
            // The next number ignores other numbering (a reimputazione's `2024/da-…`).
            let (_, modulo) = try await get(client, s, "/comandi/impegna?esercizio=2023")
            #expect(modulo.contains("name=\"numero\" type=\"text\" value=\"2023/2\""))
        }
    }
}

/// Recorded-at times in Italy's time, computed without a formatter: the EU rule at its edges, and the same as
/// Foundation's Europe/Rome on random instants when the machine has the zone.
struct OraLocaleTests {
    @Test func leRegoleEuropeeAiBordi() {
        #expect(Pagine.oraLocale("2026-12-05T15:32:24.752Z") == "05/12/2026 16:32")
        #expect(Pagine.oraLocale("2026-07-01T22:30:00Z") == "02/07/2026 00:30")
        #expect(Pagine.oraLocale("2026-03-29T00:59:00Z") == "29/03/2026 01:59")
        #expect(Pagine.oraLocale("2026-03-29T01:00:00Z") == "29/03/2026 03:00")
        #expect(Pagine.oraLocale("2026-10-25T00:59:00Z") == "25/10/2026 02:59")
        #expect(Pagine.oraLocale("2026-10-25T01:00:00Z") == "25/10/2026 02:00")
        #expect(Pagine.oraLocale("2024-12-31T23:30:00Z") == "01/01/2025 00:30")
        #expect(Pagine.oraLocale("non una data") == "non una data")
    }

    @Test func comeFoundation() throws {
        guard let roma = TimeZone(identifier: "Europe/Rome") else { return }
        let f = DateFormatter()
        f.timeZone = roma
        f.dateFormat = "dd/MM/yyyy HH:mm"
        let iso = ISO8601DateFormatter()
        var g = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let d = Date(timeIntervalSince1970: Double(UInt64.random(in: 946_684_800...2_524_608_000, using: &g)))
            #expect(Pagine.oraLocale(iso.string(from: d)) == f.string(from: d), "\(iso.string(from: d))")
        }
    }
}
