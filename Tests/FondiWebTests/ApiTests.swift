// Goal: the API of DOMAIN §8 answers programs with the CLI's JSON, authenticates by token only, enforces
// roles on the server, applies a list all or nothing, honours Idempotency-Key, and refuses with the CLI's
// Italian message, the status of §8 and nothing written.
import Fondi
import FondiServizi
import FondiStore
import FondiTesting
import FondiWeb
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

struct ApiTests {
    func token(_ b: BancoWeb, _ nome: String) throws -> String {
        try Registro.apri(percorso: b.percorso, modo: .scrittura).nuovoToken(nome: cod(nome), da: "test")
    }

    func chiedi(_ c: any TestClientProtocol, _ percorso: String, token: String?, metodo: HTTPRequest.Method = .get,
                corpo: String? = nil, chiave: String? = nil) async throws -> (HTTPResponse.Status, String) {
        var h: HTTPFields = [:]
        if let token { h[.authorization] = "Bearer " + token }
        if let chiave { h[HTTPField.Name("Idempotency-Key")!] = chiave }
        if corpo != nil { h[.contentType] = "application/json" }
        let r = try await c.execute(uri: "/api/v1/" + percorso, method: metodo, headers: h, body: corpo.map { ByteBuffer(string: $0) })
        return (r.status, String(buffer: r.body))
    }

    @Test func credenziali() async throws {
        let b = try BancoWeb()
        let t = try token(b, "cons")
        try await b.app().test(.router) { c in
            let (s1, c1) = try await chiedi(c, "saldi", token: nil)
            #expect(s1 == .unauthorized && c1.contains("\"errore\":\"credenziali mancanti"))
            #expect(try await chiedi(c, "saldi", token: "sbagliato").0 == .unauthorized)
            #expect(try await chiedi(c, "saldi", token: t).0 == .ok)
            _ = try Registro.apri(percorso: b.percorso, modo: .scrittura).revocaToken(nome: cod("cons"), da: "test")
            let (s2, c2) = try await chiedi(c, "saldi", token: t)
            #expect(s2 == .unauthorized && c2 == #"{"errore":"token non valido o revocato"}"#)
        }
    }

    /// Reads: the CLI's JSON, from the same shared layer, for the head and the past.
    @Test func lettureComeLaCLI() async throws {
        let b = try BancoWeb()
        let t = try token(b, "cons")
        try await b.app().test(.router) { c in
            let registro = try Registro.apri(percorso: b.percorso, modo: .lettura)
            for (query, per, al, fino): (String, Raggruppamento, DataContabile?, Int64?) in [
                ("per=fonte", .fonte, nil, nil), ("per=linea&al=2023-01-31", .linea, DataContabile("2023-01-31"), nil), ("per=servizio&fino_a=3", .servizio, nil, 3),
            ] {
                let stato = try Vista.stato(registro, al: al, fino: fino, impegni: false, avviso: { _ in })
                let (s, corpo) = try await chiedi(c, "saldi?" + query, token: t)
                #expect(s == .ok && corpo == Rendering.json([stato.saldi(per: per, filtri: Filtri())]), "\(query)")
            }
            let stato = try Vista.stato(registro, al: nil, fino: nil, impegni: true, avviso: { _ in })
            #expect(try await chiedi(c, "residui", token: t).1 == Rendering.json(stato.residui(filtri: Filtri())))
            #expect(try await chiedi(c, "prospetto", token: t).1 == Rendering.json(stato.prospetto(filtri: Filtri())))
            let storia = try await chiedi(c, "storia?impegno=2023/1", token: t)
            #expect(storia.0 == .ok && storia.1.hasPrefix(#"{"eventi":[{"#) && storia.1.contains(#""tipo":"ImpegnoAssunto""#))
            let verifica = try await chiedi(c, "verifica", token: t)
            #expect(verifica.0 == .ok && verifica.1.contains(#""esito":"ok""#) && verifica.1.contains(#""eventi":4"#))
            // Errors: an unknown parameter is a usage error, a bad value and an unknown code are refusals.
            #expect(try await chiedi(c, "saldi?pre=fonte", token: t).0 == .badRequest)
            #expect(try await chiedi(c, "saldi?al=2023-02-30", token: t).0 == .unprocessableContent)
            let ignota = try await chiedi(c, "saldi?fonte=NESSUNA", token: t)
            #expect(ignota.0 == .unprocessableContent && ignota.1 == #"{"errore":"fonte 'NESSUNA' sconosciuta"}"#)
            // The events as JSON Lines, page by page; past the end, an empty 200.
            let (s, righe) = try await chiedi(c, "eventi?da=2&limite=2", token: t)
            let oggetti = righe.split(separator: "\n")
            #expect(s == .ok && oggetti.count == 2 && oggetti[0].contains(#""seq":2"#) && oggetti[1].contains(#""seq":3"#))
            var attesi: [String] = []
            try registro.leggiEventi(da: 2, fino: 3) { attesi.append($0.oggettoEsportato.testoCanonico) }
            #expect(oggetti.map(String.init) == attesi)
            let fine = try await chiedi(c, "eventi?da=99", token: t)
            #expect(fine.0 == .ok && fine.1.isEmpty)
        }
    }

    @Test func scrittureRuoliEIdempotenza() async throws {
        let b = try BancoWeb()
        let oper = try token(b, "oper"), cons = try token(b, "cons")
        try await b.app().test(.router) { c in
            let impegna = #"{"comando":"impegna","numero":"2023/7","fonte":"FNA-2023","servizio":"SAD","esercizio":2023,"importo":"1.000,00","creditore":"Coop","oggetto":"SAD","atto":"Det. 7","data":"2023-03-01","utente":"qualcun-altro"}"#
            // consultazione may not write: 403, nothing written.
            let prima = try b.testa()
            let vietata = try await chiedi(c, "comandi", token: cons, metodo: .post, corpo: impegna)
            let dopoVietata = try b.testa()
            #expect(vietata.0 == .forbidden && vietata.1.contains("non consente 'impegna'") && dopoVietata == prima)
            let (s, corpo) = try await chiedi(c, "comandi", token: oper, metodo: .post, corpo: impegna, chiave: "api-7")
            #expect(s == .ok && corpo.hasPrefix(#"{"eventi":[{"data":"2023-03-01","hash":""#) && corpo.hasSuffix(#""ripetuto":false}"#))
            // The signed-in user is the event's utente, whatever the body says.
            let r = try Registro.apri(percorso: b.percorso, modo: .lettura)
            var ultimo: EventoRegistrato?
            try r.leggiEventi(da: try r.numeroEventi()) { ultimo = $0 }
            #expect(ultimo?.utente == "oper" && ultimo?.chiave == "api-7")
            // The same key again: the original events, nothing written.
            let dopo = try b.testa()
            let ripetuta = try await chiedi(c, "comandi", token: oper, metodo: .post, corpo: impegna, chiave: "api-7")
            #expect(ripetuta.0 == .ok && ripetuta.1 == corpo.replacingOccurrences(of: #""ripetuto":false"#, with: #""ripetuto":true"#))
            #expect(try b.testa() == dopo)
            // Refusals: the CLI's message, the status of §8, nothing written.
            for (testo, stato, messaggio) in [
                (impegna.replacingOccurrences(of: "2023/7", with: "2023/8").replacingOccurrences(of: "1.000,00", with: "9.000,01"),
                 HTTPResponse.Status.unprocessableContent, "supera il disponibile della linea FNA-2023/SAD/2023"),
                (#"{"comando":"impegnaa"}"#, .badRequest, "comando sconosciuto 'impegnaa'"),
                (impegna.replacingOccurrences(of: #""oggetto""#, with: #""ogetto""#), .badRequest, "campo sconosciuto 'ogetto'"),
                ("non è JSON", .badRequest, "corpo JSON non valido"),
                ("[1,2]", .badRequest, "il corpo deve essere un oggetto JSON"),
            ] {
                let (st, co) = try await chiedi(c, "comandi", token: oper, metodo: .post, corpo: testo)
                #expect(st == stato && co.hasPrefix(#"{"errore":""#) && co.contains(messaggio) && !co.contains("riga 1"), "\(testo): \(st) \(co)")
                #expect(try b.testa() == dopo)
            }
        }
    }

    @Test func elencoTuttoONiente() async throws {
        let b = try BancoWeb()
        let resp = try token(b, "resp")
        try await b.app().test(.router) { c in
            let prima = try b.testa()
            let sbagliato = #"{"comandi":[{"comando":"servizio registra","codice":"ADI","descrizione":"Assistenza domiciliare integrata","data":"2023-03-01"},{"comando":"impegna","numero":"2023/9","fonte":"FNA-2023","servizio":"ADI","esercizio":2023,"importo":"1,00","creditore":"C","oggetto":"O","atto":"A","data":"2023-03-01"}]}"#
            let (s, corpo) = try await chiedi(c, "comandi", token: resp, metodo: .post, corpo: sbagliato)
            #expect(s == .unprocessableContent && corpo.hasPrefix(#"{"errore":"comandi[1]: "#), "\(corpo)")
            #expect(try b.testa() == prima)
            let giusto = sbagliato.replacingOccurrences(of: #""data":"2023-03-01"}]}"#, with: #""data":"2023-03-01"},{"comando":"programma","fonte":"FNA-2023","servizio":"ADI","esercizio":2023,"importo":"1,00","atto":"A","data":"2023-03-01"}]}"#)
                .replacingOccurrences(of: #"{"comando":"impegna""#, with: #"{"comando":"programma","fonte":"FNA-2023","servizio":"ADI","esercizio":2023,"importo":"1,00","atto":"A","data":"2023-03-01"},{"comando":"impegna""#)
            let ok = try await chiedi(c, "comandi", token: resp, metodo: .post, corpo: giusto, chiave: "lotto-1")
            #expect(ok.0 == .ok && ok.1.contains(#""righe":"#) && ok.1.contains(#""ripetuto":false"#), "\(ok.1)")
            let dopo = try b.testa()
            let di_nuovo = try await chiedi(c, "comandi", token: resp, metodo: .post, corpo: giusto, chiave: "lotto-1")
            let testaRipetuta = try b.testa()
            #expect(di_nuovo.0 == .ok && di_nuovo.1.contains(#""ripetuto":true"#) && testaRipetuta == dopo)
            let altro = try await chiedi(c, "comandi", token: resp, metodo: .post, corpo: sbagliato, chiave: "lotto-1")
            #expect(altro.0 == .unprocessableContent && altro.1.contains("già usata per un comando diverso"))
        }
    }

    /// openapi.json is public and true: every path and method it lists answers (not 404/405), every query
    /// parameter it lists is accepted (never 400), one it does not list is refused (400).
    @Test func specificaVera() async throws {
        let b = try BancoWeb()
        let t = try token(b, "resp")
        try await b.app().test(.router) { c in
            let r = try await c.execute(uri: "/api/v1/openapi.json", method: .get)
            #expect(r.status == .ok)
            guard case let .oggetto(doc) = try ValoreJSON.leggi(String(buffer: r.body)), case let .oggetto(percorsi)? = doc["paths"] else {
                Issue.record("openapi.json senza paths"); return
            }
            #expect(doc["openapi"] == .stringa("3.1.0"))
            #expect(Set(percorsi.keys) == Set(["saldi", "residui", "prospetto", "storia", "verifica", "eventi", "comandi", "regione/prospetto", "scadenze", "rendicontazioni", "rendicontazione", "rendicontazione/confronto"].map { "/api/v1/" + $0 }))
            let esempi = ["per": "fonte", "fonte": "FNA-2023", "servizio": "SAD", "esercizio": "2023", "al": "2023-12-31", "fino_a": "2",
                          "sezione": "fonti", "impegno": "2023/1", "prenotazione": "", "accertamento": "", "digest": "", "da": "1", "limite": "5"]
            for (percorso, voce) in percorsi {
                guard case let .oggetto(metodi) = voce else { continue }
                for (metodo, operazione) in metodi {
                    let nome = String(percorso.dropFirst("/api/v1/".count))
                    if metodo == "post" {
                        let (st, _) = try await chiedi(c, nome, token: t, metodo: .post, corpo: #"{"comando":"servizio registra","codice":"ZZ","descrizione":"Z","data":"2023-03-01"}"#)
                        #expect(st == .ok, "\(percorso)")
                        continue
                    }
                    guard case let .oggetto(op) = operazione, case let .lista(parametri)? = op["parameters"] else { continue }
                    // The Region's read is documented as 404 on any other server (this one: a SQLite file; ADR 0021).
                    let (st, corpo) = try await chiedi(c, nome, token: t)
                    #expect(nome == "regione/prospetto" ? st == .notFound && corpo.contains("servizio non regionale") : st != .notFound, "\(percorso)")
                    for case let .oggetto(p) in parametri {
                        guard case let .stringa(n)? = p["name"] else { continue }
                        let valore = esempi[n] ?? ""
                        guard !valore.isEmpty else { continue }
                        let (st, corpo) = try await chiedi(c, "\(nome)?\(n)=\(valore)", token: t)
                        #expect(st != .badRequest && st != .notFound, "\(percorso) \(n): \(st) \(corpo)")
                    }
                    #expect(try await chiedi(c, "\(nome)?non_elencato=1", token: t).0 == .badRequest, "\(percorso)")
                }
            }
        }
    }
}
