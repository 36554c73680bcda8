"""Guess the number: the app of "How Secure Is The Flask User Session?",
written the naive way (the answer lives in the session), plus one line.

Run:  flask --app app run      (from this folder; see README.md)
"""

import os
import random

from flask import Flask, redirect, render_template, request, session, url_for

import cookieseal.flask

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY") or os.urandom(32)
cookieseal.flask.install(app, ephemeral_secret_if_unset=True)  # the one added line: a sealed session cookie


@app.route("/")
def index():
    session["answer"] = random.randint(1, 10)
    session["try_number"] = 1
    return redirect(url_for("guess"))


@app.route("/guess")
def guess():
    if "answer" not in session:
        return redirect(url_for("index"))
    number = request.args.get("guess", type=int)
    if number is not None:
        if number == session["answer"]:
            return render_template("win.html", answer=session["answer"], tries=session["try_number"])
        session["try_number"] += 1
        if session["try_number"] > 3:
            return render_template("lose.html", answer=session["answer"], guess=number)
    return render_template("guess.html", try_number=session["try_number"], guess=number)
