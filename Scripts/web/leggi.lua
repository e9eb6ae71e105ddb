-- wrk: GET the page with the session cookie.
local cookie = os.getenv("BANCO_COOKIE")
request = function()
  return wrk.format("GET", nil, {["Cookie"] = cookie})
end
