// Goal: `fondi utente …` and `fondi serve` through the binary (DOMAIN §8): passwords from stdin, tokens printed
// once and stored hashed, the user log append-only; the server announces its address, answers, serves the
// same ledger as a CLI writing at the same time, and stops with 0 on SIGTERM.
import Fondi
import Foundation
import Testing

struct ServizioCLITests {
    @Test func utentiDallaRigaDiComando() throws {
        let b = try Binario()
        defer { b.pulisci() }
        try esempio(b)
        let breve = try b.esegui(["utente", "aggiungi", "--nome", "anna", "--ruolo", "responsabile"], entrata: "corta\n")
        #expect(breve.codice == 1 && breve.errore.contains("almeno 12 caratteri"))
        let senza = try b.esegui(["utente", "aggiungi", "--nome", "anna", "--ruolo", "responsabile"])
        #expect(senza.codice == 1 && senza.errore.contains("password mancante"))
        #expect(try b.esegui(["utente", "aggiungi", "--nome", "anna", "--ruolo", "capo"], entrata: "una password lunga\n").codice == 1)
        #expect(try b.esegui(["utente", "aggiungi", "--nome", "anna"], entrata: "una password lunga\n").codice == 2)
        let ok = try b.esegui(["utente", "aggiungi", "--nome", "anna", "--ruolo", "responsabile", "--utente", "admin"], entrata: "una password lunga\n")
        #expect(ok.codice == 0 && ok.uscita == "utente anna (responsabile) aggiunto\n", "\(ok.errore)")
        #expect(try b.esegui(["utente", "aggiungi", "--nome", "anna", "--ruolo", "operatore"], entrata: "una password lunga\n").errore
            == "errore: utente 'anna' già esistente\n")
        let token = try b.esegui(["utente", "token", "--nome", "anna"]).uscita
        #expect(token.range(of: #"^[A-Za-z0-9_-]{32,}\n$"#, options: .regularExpression) != nil, "\(token)")
        let elenco = try b.esegui(["utente", "elenca", "--formato", "json"]).json()
        guard case let .lista(utenti)? = elenco["utenti"] else { Issue.record("utenti mancanti"); return }
        #expect(utenti.first?["nome"] == .stringa("anna") && utenti.first?["ruolo"] == .stringa("responsabile"))
        // Secrets are never stored: not the password, not the token.
        let file = try #require(byteDi(b.db))
        #expect(file.range(of: Data("una password lunga".utf8)) == nil)
        #expect(file.range(of: Data(token.dropLast().utf8)) == nil)
        #expect(try b.esegui(["utente", "token", "--nome", "anna", "--revoca"]).uscita == "revocati 1 token dell'utente anna\n")
        #expect(try b.esegui(["utente", "disattiva", "--nome", "anna"]).codice == 0)
        #expect(try b.esegui(["utente", "disattiva", "--nome", "nessuno"]).errore == "errore: utente 'nessuno' sconosciuto\n")
        // Users are not events: the chain is untouched.
        #expect(try b.testa().hasPrefix("11 "))
    }

    @Test func ilServerAnnunciaRispondeESiFerma() throws {
        let b = try Binario()
        defer { b.pulisci() }
        try esempio(b)
        let server = try b.avvia(["serve", "--porta", "0"])
        let riga = String(decoding: server.out.fileHandleForReading.availableData, as: UTF8.self)
        let indirizzo = try #require(riga.range(of: #"^in ascolto su http://127\.0\.0\.1:\d+\n$"#, options: .regularExpression).map { _ in
            String(riga.dropFirst("in ascolto su ".count).dropLast())
        }, "\(riga)")
        func leggi(_ percorso: String) throws -> String {
            try Binario.python(["-c", "import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1]).read().decode(), end='')",
                                indirizzo + percorso]).uscita
        }
        #expect(try leggi("/salute") == #"{"stato":"ok","ultimo_seq":11}"#)
        // A CLI write while the server runs shows up on the next request.
        #expect(try b.esegui(["impegna", "--numero", "2023/9", "--fonte", "FNA-2023", "--servizio", "CONTR", "--esercizio", "2023", "--importo", "1",
                              "--creditore", "C", "--oggetto", "O", "--atto", "A", "--data", "2023-03-01"]).codice == 0)
        #expect(try leggi("/salute") == #"{"stato":"ok","ultimo_seq":12}"#)
        // Signed in: a CLI write shows on the next page load (the server's cached view is retired), and the CLI
        // and the server writing at once lose and double nothing.
        #expect(try b.esegui(["utente", "aggiungi", "--nome", "anna", "--ruolo", "responsabile"], entrata: "una frase lunga abbastanza\n").codice == 0)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Script/insieme.py").path
        let r = try Binario.python([script, indirizzo, Binario.eseguibile.path, b.db, "anna", "una frase lunga abbastanza"])
        let parti = r.uscita.split(separator: "|").map(String.init)
        #expect(r.codice == 0 && parti.count == 4, "\(r.uscita)")
        if parti.count == 4 {
            // Each is "<the FNA-2023 CSV line> <the FNA-2023 cruscotto cells>", before and after the CLI's impegno.
            let (prima, dopo) = (parti[0].split(separator: " ", maxSplits: 1), parti[1].split(separator: " ", maxSplits: 1))
            #expect(prima.first != dopo.first, "l'impegno della CLI si vede alla lettura successiva: \(parti)")
            #expect(prima.last != dopo.last, "e nel cruscotto, la cui pagina è tenuta per testa della catena: \(parti)")
            #expect(parti[2] == "15" && parti[3] == "15", "\(parti)")
        }
        let impegni = try b.esegui(["storia", "--formato", "json"]).json()
        var numeri: [String] = []
        if case let .oggetto(o) = impegni, case let .lista(eventi)? = o["eventi"] {
            for case let .oggetto(e) in eventi where e["tipo"] == .stringa("ImpegnoAssunto") {
                if case let .oggetto(p)? = e["payload"], case let .stringa(n)? = p["numero"], n.hasPrefix("WEB/") || n.hasPrefix("CLI/") { numeri.append(n) }
            }
        }
        #expect(numeri.count == 31 && Set(numeri).count == 31, "\(numeri)")
        #expect(try b.esegui(["verifica"]).codice == 0)
        server.processo.terminate()
        let fine = server.attendi()
        #expect(fine.codice == 0, "\(fine.errore)")
        #expect(fine.uscita.isEmpty, "nothing but the address goes to stdout: \(fine.uscita)")
        #expect(try b.esegui(["serve", "--porta", "70000"]).codice == 1)
        // A ledger whose last event was altered is not served: exit 3, the seq named.
        let manomesso = try Binario.python(["-c", """
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1])
            c.executescript("DROP TRIGGER evento_append_only_update; UPDATE evento SET atto = 'Altro' WHERE seq = (SELECT max(seq) FROM evento)")
            c.commit()
            """, b.db])
        #expect(manomesso.codice == 0)
        let rifiutato = try b.esegui(["serve", "--porta", "0"])
        #expect(rifiutato.codice == 3 && rifiutato.errore.contains("non supera la verifica della testa della catena"), "\(rifiutato.errore)")
        #expect(try b.esegui(["serve", "--db", b.cartella.appendingPathComponent("manca.sqlite").path], conDb: false).codice == 1)
    }
}
