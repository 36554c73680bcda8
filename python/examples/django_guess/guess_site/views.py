"""Guess the number: the app of "How Secure Is The Flask User Session?",
as Django views, written the naive way (the answer lives in the session)."""

import random

from django.shortcuts import redirect, render


def index(request):
    request.session["answer"] = random.randint(1, 10)
    request.session["try_number"] = 1
    return redirect("guess")


def guess(request):
    session = request.session
    if "answer" not in session:
        return redirect("index")
    try:
        number = int(request.GET["guess"])
    except (KeyError, ValueError):
        number = None
    if number is not None:
        if number == session["answer"]:
            return render(request, "win.html", {"answer": session["answer"], "tries": session["try_number"]})
        session["try_number"] += 1
        if session["try_number"] > 3:
            return render(request, "lose.html", {"answer": session["answer"], "guess": number})
    return render(request, "guess.html", {"try_number": session["try_number"], "guess": number})
