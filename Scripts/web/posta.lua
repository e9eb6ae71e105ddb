-- wrk: each request records a new impegno of 0,01 through the form, with its own numero and idempotency key.
local contatore = 0
local cookie = os.getenv("BANCO_COOKIE")
local campi = os.getenv("BANCO_CAMPI")
local csrf = os.getenv("BANCO_CSRF")
local filo = 0
local prossimo = 0

function setup(thread)
  prossimo = prossimo + 1
  thread:set("filo", prossimo)
end

request = function()
  contatore = contatore + 1
  local n = os.getenv("BANCO_GIRO") .. "-" .. filo .. "-" .. contatore
  local corpo = "csrf=" .. csrf .. "&chiave=web-banco-" .. n .. "&numero=B" .. n .. "&" .. campi
  return wrk.format("POST", "/comandi/impegna", {["Content-Type"] = "application/x-www-form-urlencoded", ["Cookie"] = cookie}, corpo)
end
